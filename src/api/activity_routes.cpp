#include "api/activity_routes.h"

#include <algorithm>
#include <tuple>

#include "api/metrics_json.h"
#include "api/read_helpers.h"
#include "query/data_quality.h"
#include "query/incidents.h"
#include "query/pull_requests.h"

namespace leadline::api {
namespace {

using nlohmann::ordered_json;

// {"repository": ..., <the row's fields>} of each row of the page, in the order given.
template <typename Ref, typename ToJson>
HttpResponse InOrder(const std::vector<Ref>& rows, const Page& page, ToJson to_json) {
  return Json(Paginated(rows.size(), page, [&](std::size_t i) {
    ordered_json item = {{"repository", rows[i].repo->repository.location}};
    const ordered_json fields = to_json(*rows[i].row);
    item.update(fields);
    return item;
  }));
}

HttpResponse PullRequests(ApiContext& context, const HttpRequest& request,
                          const auth::Principal& principal) {
  auto page = ParsePage(request);
  if (!page.ok()) return StatusResponse(page.status());
  const std::string order = request.Query("order").value_or("newest");
  if (order != "newest" && order != "slowest") {
    return ErrorResponse(400, "order: newest or slowest");
  }
  return WithScope(context, request, principal,
                   [&](const query::MetricsView& view, const query::ResolvedScope& scope) {
                     auto window = ResolveWindow(request, scope, context.now());
                     if (!window.ok()) return StatusResponse(window.status());
                     std::vector<query::PullRequestRef> rows = query::PullRequestsNewestFirst(
                         scope.repositories, query::PullRequestTime::kMerged, *window);
                     if (scope.team) {
                       std::erase_if(rows, [&](const query::PullRequestRef& pr) {
                         const auto author = view.people.Lookup(pr.row->author);
                         return !author || !std::binary_search(scope.team->begin(),
                                                               scope.team->end(), *author);
                       });
                     }
                     if (order == "slowest") {
                       // Longest first-commit-to-deployment first; not yet deployed (no total)
                       // last; ties by repository and then as the view holds them.
                       std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
                         const auto ta = a.row->total.value_or(-1), tb = b.row->total.value_or(-1);
                         if (ta != tb) return ta > tb;
                         return std::tie(a.repo->repository.location, a.index) <
                                std::tie(b.repo->repository.location, b.index);
                       });
                     }
                     return InOrder(rows, *page, PullRequestRowJson);
                   });
}

HttpResponse Incidents(ApiContext& context, const HttpRequest& request,
                       const auth::Principal& principal) {
  auto page = ParsePage(request);
  if (!page.ok()) return StatusResponse(page.status());
  return WithScope(context, request, principal,
                   [&](const query::MetricsView&, const query::ResolvedScope& scope) {
                     auto window = ResolveWindow(request, scope, context.now());
                     if (!window.ok()) return StatusResponse(window.status());
                     return InOrder(query::IncidentsNewestFirst(scope.repositories, *window), *page,
                                    IncidentRowJson);
                   });
}

HttpResponse Doctor(ApiContext& context, const HttpRequest& request,
                    const auth::Principal& principal) {
  return WithScope(context, request, principal,
                   [&](const query::MetricsView&, const query::ResolvedScope& scope) {
                     auto window = ResolveWindow(request, scope, context.now());
                     if (!window.ok()) return StatusResponse(window.status());
                     ordered_json items = ordered_json::array();
                     for (const query::RepositoryView* repo : scope.repositories) {
                       ordered_json findings = ordered_json::array();
                       for (const engine::Finding& finding : query::FindingsOver(*repo, *window)) {
                         findings.push_back(FindingJson(finding));
                       }
                       items.push_back({{"repository", repo->repository.location},
                                        {"findings", std::move(findings)}});
                     }
                     return Json(ordered_json{{"items", std::move(items)}});
                   });
}

}  // namespace

void AddActivityRoutes(HttpServer& server, ApiContext& context) {
  AddReadRoute(server, context, "/v1/pull-requests", PullRequests);
  AddReadRoute(server, context, "/v1/incidents", Incidents);
  AddReadRoute(server, context, "/v1/doctor", Doctor);
}

}  // namespace leadline::api
