#include "api/scope_params.h"

namespace leadline::api {

common::Result<query::ResolvedScope> ResolveScope(const query::MetricsView& view,
                                                  const auth::Principal& principal,
                                                  const HttpRequest& request) {
  return query::ResolveScope(
      view, principal, {request.Query("project"), request.Query("repo"), request.Query("team")});
}

common::Result<engine::ReportWindow> ResolveWindow(const HttpRequest& request,
                                                   const query::ResolvedScope& scope,
                                                   common::UnixSeconds now) {
  return query::ResolveWindow(
      {request.Query("since"), request.Query("until"), request.Query("window")}, scope, now);
}

}  // namespace leadline::api
