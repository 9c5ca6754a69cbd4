#include "app/scope_report.h"

#include <algorithm>

#include "app/repositories.h"
#include "app/stored_report.h"
#include "store/store.h"

namespace leadline::app {

common::Result<ScopeReport> RunScopeReport(const ScopeReportRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                            store::OpenStore(request.paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                            SelectedRepositories(*store, request.pattern));
  ScopeReport out;
  out.pattern = request.pattern;
  out.team = request.team;
  engine::PeopleIndex people;
  std::vector<engine::RepositoryFacts> facts;
  std::optional<ReportOptions> first_options;
  for (const model::Repository& repo : repos) {
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t commits, store->history().CountCommits(repo.id));
    if (commits == 0) continue;  // selected but never synced: nothing to count yet
    LEADLINE_ASSIGN_OR_RETURN(ReportOptions options, request.options_for(repo.location));
    options.snapshot_cache_dir = request.paths.snapshots_dir;
    if (!first_options) first_options = options;
    LEADLINE_ASSIGN_OR_RETURN(StoredAnalysis analysis,
                              AnalyzeStored(*store, repo, options, &people));
    out.repositories.push_back({repo, {}});
    facts.push_back(std::move(analysis.metrics));
  }
  if (facts.empty()) {
    return common::Status::FailedPrecondition(
        "none of the repositories matching '" + request.pattern +
        "' has history stored yet: run `leadline sync` first");
  }
  // One window for the whole scope: the flags decide it (settings do not touch the window); with
  // `--window all` it starts at the scope's first deployment.
  out.window = ResolveWindow(*first_options, {});
  if (!first_options->since && !first_options->window) {
    for (const engine::RepositoryFacts& repository : facts) {
      if (!repository.deployments.empty()) {
        out.window.since = std::min(out.window.since, repository.deployments.front().finished_at);
      }
    }
  }
  engine::ScopeQuery query{out.window, first_options->benchmark_year, std::nullopt};
  if (!request.team.empty()) {
    query.team = people.Find(request.members);
    out.team_people = query.team->size();
  }
  std::vector<const engine::RepositoryFacts*> scope;
  for (std::size_t i = 0; i < facts.size(); ++i) {
    const engine::RepositoryFacts* one[] = {&facts[i]};
    LEADLINE_ASSIGN_OR_RETURN(out.repositories[i].metrics, engine::QueryScope(one, query));
    scope.push_back(&facts[i]);
  }
  LEADLINE_ASSIGN_OR_RETURN(out.total, engine::QueryScope(scope, query));
  LEADLINE_ASSIGN_OR_RETURN(out.trend, engine::WeeklyTrend(scope, query));
  return out;
}

}  // namespace leadline::app
