#include "api/read_routes.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/metrics_json.h"
#include "api/read_helpers.h"
#include "api/responses.h"
#include "api/scope_params.h"
#include "engine/benchmark_levels.h"
#include "query/deployments.h"

namespace leadline::api {
namespace {

using nlohmann::ordered_json;

HttpResponse DoraMetrics(ApiContext& context, const HttpRequest& request,
                         const auth::Principal& principal) {
  const std::optional<std::string> trend_name = request.Query("trend");
  if (trend_name && *trend_name != "weekly") {
    return ErrorResponse(400, "trend: weekly, or leave it out");
  }
  const bool trend_weekly = trend_name.has_value();
  return WithScope(
      context, request, principal,
      [&](const query::MetricsView&, const query::ResolvedScope& scope) {
        auto window = ResolveWindow(request, scope, context.now());
        if (!window.ok()) return StatusResponse(window.status());
        int year = engine::DefaultBenchmarkYear();
        if (const auto benchmark = request.Query("benchmark")) {
          const std::vector<int> years = engine::BenchmarkYears();
          const auto known = std::find_if(years.begin(), years.end(),
                                          [&](int y) { return std::to_string(y) == *benchmark; });
          if (known == years.end()) return ErrorResponse(400, "benchmark: 2023 or 2024");
          year = *known;
        }
        if (const auto environment = request.Query("environment");
            environment && *environment != "production") {
          return ErrorResponse(400,
                               "environment: only production deployments are measured "
                               "(leadline.toml's production_environments says which those are)");
        }
        std::vector<const engine::RepositoryFacts*> facts;
        ordered_json names = ordered_json::array();
        for (const query::RepositoryView* repo : scope.repositories) {
          facts.push_back(&repo->facts);
          names.push_back(repo->repository.location);
        }
        const engine::ScopeQuery query{*window, year, scope.team};
        auto metrics = engine::QueryScope(facts, query);
        if (!metrics.ok()) return StatusResponse(metrics.status());
        ordered_json body = {
            {"scope",
             {{"project", OrNull(scope.project)},
              {"repo", OrNull(scope.repo)},
              {"team", OrNull(scope.team_name)},
              {"repositories", std::move(names)}}},
            {"proxy", metrics->proxy_repositories > 0},
            {"proxy_repositories", metrics->proxy_repositories},
            {"summary", SummaryJson(metrics->summary)},
            {"pull_request_stages", StagesJson(metrics->stages)},
        };
        if (trend_weekly) {
          auto weeks = engine::WeeklyTrend(facts, query);
          if (!weeks.ok()) return StatusResponse(weeks.status().WithContext("trend"));
          ordered_json trend = ordered_json::array();
          for (const engine::TrendPoint& week : *weeks) {
            trend.push_back(
                {{"week_start", common::FormatRfc3339(week.start)},
                 {"deployments", week.deployments},
                 {"lead_time_median_s", OrNull(week.lead_time_median_s)},
                 {"change_fail_rate", OrNull(week.change_fail_rate)},
                 {"recovery_median_s", OrNull(week.recovery_median_s)},
                 {"rework_rate", OrNull(week.rework_rate)},
                 {"pull_request_total_median_s", OrNull(week.pull_request_total_median_s)},
                 {"coding_median_s", OrNull(week.coding_median_s)},
                 {"pickup_median_s", OrNull(week.pickup_median_s)},
                 {"review_median_s", OrNull(week.review_median_s)},
                 {"deploy_median_s", OrNull(week.deploy_median_s)}});
          }
          body["trend"] = std::move(trend);
        }
        return Json(body);
      });
}

HttpResponse Repositories(ApiContext& context, const HttpRequest& request,
                          const auth::Principal& principal) {
  auto page = ParsePage(request);
  if (!page.ok()) return StatusResponse(page.status());
  return WithScope(
      context, request, principal,
      [&](const query::MetricsView& view, const query::ResolvedScope& scope) {
        return Json(Paginated(scope.repositories.size(), *page, [&](std::size_t i) {
          const query::RepositoryView* repo = scope.repositories[i];
          ordered_json projects = ordered_json::array();
          for (const model::Project* project :
               query::ProjectsOf(view, principal, repo->repository.id)) {
            projects.push_back(project->name);
          }
          const auto& deployments = repo->facts.deployments;
          return ordered_json{
              {"repository", repo->repository.location},
              {"name", repo->repository.name},
              {"source", repo->repository.source},
              {"default_branch", repo->repository.default_branch},
              {"projects", std::move(projects)},
              {"proxy", repo->facts.proxy},
              {"deployments", deployments.size()},
              {"last_deployment_at", deployments.empty() ? ordered_json(nullptr)
                                                         : ordered_json(common::FormatRfc3339(
                                                               deployments.back().finished_at))}};
        }));
      });
}

// failed=true lists only failed deployments; failed=false (the default) lists all.
common::Result<bool> FailedOnly(const HttpRequest& request) {
  const std::string failed = request.Query("failed").value_or("false");
  if (failed != "true" && failed != "false") {
    return common::Status::InvalidArgument("failed: true or false");
  }
  return failed == "true";
}

HttpResponse Deployments(ApiContext& context, const HttpRequest& request,
                         const auth::Principal& principal) {
  auto page = ParsePage(request);
  if (!page.ok()) return StatusResponse(page.status());
  const auto failed_only = FailedOnly(request);
  if (!failed_only.ok()) return StatusResponse(failed_only.status());
  return WithScope(context, request, principal,
                   [&](const query::MetricsView&, const query::ResolvedScope& scope) {
                     auto window = ResolveWindow(request, scope, context.now());
                     if (!window.ok()) return StatusResponse(window.status());
                     const std::vector<query::DeploymentRef> rows =
                         query::DeploymentsNewestFirst(scope.repositories, *window, *failed_only);
                     return Json(Paginated(rows.size(), *page, [&](std::size_t i) {
                       const query::DeploymentRef& row = rows[i];
                       ordered_json item = {{"repository", row.repo->repository.location},
                                            {"proxy", row.repo->facts.proxy}};
                       const ordered_json fields = DeploymentRowJson(row.deployment(), *row.row);
                       item.update(fields);
                       return item;
                     }));
                   });
}

}  // namespace

void AddReadRoutes(HttpServer& server, ApiContext& context) {
  AddReadRoute(server, context, "/v1/metrics/dora", DoraMetrics);
  AddReadRoute(server, context, "/v1/repositories", Repositories);
  AddReadRoute(server, context, "/v1/deployments", Deployments);
}

}  // namespace leadline::api
