// The query parameters every read endpoint shares, read into the query layer's arguments
// (query/scope.h says what they mean and how they are checked):
//   project=NAME   the project's repositories
//   repo=LOCATION  one repository ("acme/api")
//   team=NAME      pull request figures for a team of leadline.toml
//   window=90d | all, since=RFC3339, until=RFC3339 (default: the 90 days before now)
// A project, repository or team the token may not see answers 404, worded as for one that does
// not exist. Pure functions; thread-safe.
#pragma once

#include "api/http_types.h"
#include "query/scope.h"

namespace leadline::api {

common::Result<query::ResolvedScope> ResolveScope(const query::MetricsView& view,
                                                  const auth::Principal& principal,
                                                  const HttpRequest& request);

common::Result<engine::ReportWindow> ResolveWindow(const HttpRequest& request,
                                                   const query::ResolvedScope& scope,
                                                   common::UnixSeconds now);

}  // namespace leadline::api
