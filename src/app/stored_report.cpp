#include "app/stored_report.h"

#include <algorithm>

#include "app/incidents.h"
#include "app/snapshot_loader.h"
#include "engine/deployment_selection.h"
#include "store/store.h"

namespace leadline::app {
namespace {

using common::Result;
using common::Status;

Result<model::Repository> FindSynced(store::Store& store, const std::string& location) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                            store.repositories().LoadConnectedRepositories());
  const auto found = std::find_if(repos.begin(), repos.end(), [&](const model::Repository& r) {
    return r.location == location;
  });
  if (found == repos.end()) {
    std::string known;
    for (const model::Repository& repo : repos) {
      if (repo.selected) known += (known.empty() ? "" : ", ") + repo.location;
    }
    return Status::NotFound(
        "no connected repository '" + location + "'" +
        (known.empty() ? "; see `leadline repos list`" : " (selected ones: " + known + ")"));
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t commits, store.history().CountCommits(found->id));
  if (commits == 0) {
    return Status::FailedPrecondition(location +
                                      " has no history stored yet: run `leadline sync "
                                      "--repo " +
                                      location + "` first");
  }
  return *found;
}

// The branch merges count on for the proxy: the one Bitbucket names, else main or master.
std::string DefaultBranch(const model::Repository& repo, const std::vector<model::Ref>& refs) {
  if (!repo.default_branch.empty()) return repo.default_branch;
  for (const char* name : {"main", "master"}) {
    for (const model::Ref& ref : refs) {
      if (ref.kind == model::RefKind::kBranch && ref.name == name) return name;
    }
  }
  return "main";
}

}  // namespace

Result<StoredAnalysis> AnalyzeStored(store::Store& store, const model::Repository& repo,
                                     const ReportOptions& options, engine::PeopleIndex* people) {
  StoredAnalysis out;
  RepositoryReport& report = out.report;
  report.repository = repo;
  const std::int64_t repo_id = repo.id;
  LEADLINE_ASSIGN_OR_RETURN(
      const engine::Snapshot snapshot,
      LoadSnapshot(store, repo_id, options.hotfix_prefixes, options.snapshot_cache_dir));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PlatformDeployment> records,
                            store.pipelines().LoadPlatformDeployments(repo_id));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequest> pull_requests,
                            store.pull_requests().LoadPullRequests(repo_id));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Ref> refs, store.history().LoadRefs(repo_id));
  const std::string default_branch = DefaultBranch(repo, refs);
  engine::RepositoryContext context;
  context.branches.default_tip = BranchTip(snapshot.graph, refs, default_branch);
  context.branches.pull_request_hotfixes =
      engine::HotfixPullRequests(snapshot.graph, pull_requests, options.hotfix_prefixes);
  engine::ReportDeployments chosen = engine::ChooseReportDeployments(
      engine::ProductionDeployments(records, options.production_environments), snapshot,
      pull_requests, default_branch, options.analysis.releases);
  report.deployments = std::move(chosen.deployments);
  context.production_before = chosen.previous_merge;
  report.proxy = chosen.proxy;
  LEADLINE_ASSIGN_OR_RETURN(
      engine::IncidentSelection incidents,
      RepositoryIncidents(store, repo, options.incidents, snapshot.graph, report.deployments));
  const engine::DeploymentAnalysis analysis = engine::AnalyzeDeployments(
      snapshot, report.deployments, options.analysis, incidents.points, context);
  report.commits_in_graph = snapshot.graph.size();
  report.graph_bytes = snapshot.graph.MemoryBytes();
  report.unresolved_reverts = snapshot.unresolved_reverts;
  const engine::ReportWindow window = ResolveWindow(options, report.deployments);
  LEADLINE_ASSIGN_OR_RETURN(
      report.report,
      engine::BuildReport(snapshot, report.deployments, analysis, window, options.benchmark_year));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequestActivity> activity,
                            store.pull_requests().LoadPullRequestActivity(repo_id));
  report.pull_requests = engine::ComputeStages(
      snapshot, pull_requests, activity, report.deployments, analysis.attribution, options.stages);
  report.stages = engine::SummarizeStages(report.pull_requests, window.since, window.until);
  if (people != nullptr) {
    out.metrics = engine::CollectFacts(repo.location, report.proxy, snapshot, report.deployments,
                                       analysis, report.pull_requests, *people,
                                       /*keep_change_commits=*/true);
  }

  engine::QualityFacts& facts = out.facts;
  facts.provider = model::ParseProvider(repo.source).value_or(model::Provider::kGit);
  facts.proxy = report.proxy;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Environment> environments,
                            store.pipelines().LoadEnvironments(repo_id));
  facts.environments = environments.size();
  facts.deployments_in_window = report.report.summary.deployment_attempts;
  for (const engine::DeploymentRow& row : report.report.deployments) {
    facts.first_deployment_in_window = facts.first_deployment_in_window || row.lookback_applied;
  }
  facts.default_branch = default_branch;
  facts.off_default_branch = engine::DeploymentsOffBranch(
      snapshot.graph, context.branches.default_tip, report.deployments);
  facts.bot_like_authors = engine::BotLikeAuthors(pull_requests, options.stages);
  for (const engine::PullRequestStages& row : report.pull_requests) {
    if (row.bot || !row.merged_at || *row.merged_at < window.since ||
        *row.merged_at >= window.until) {
      continue;
    }
    engine::CountMergedPullRequest(row.commits_unknown, facts);
  }
  facts.every_incident_severity = engine::CountsEverySeverity(options.incidents);
  facts.incident_severities = std::move(incidents.counted_severities);
  facts.excluded_incident_severities = std::move(incidents.excluded_severities);
  return out;
}

Result<RepositoryReport> RunStoredReport(const StoredReportRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                            store::OpenStore(request.paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const model::Repository repo, FindSynced(*store, request.location));
  ReportOptions options = request;
  options.snapshot_cache_dir = request.paths.snapshots_dir;
  LEADLINE_ASSIGN_OR_RETURN(StoredAnalysis analysis, AnalyzeStored(*store, repo, options));
  return std::move(analysis.report);
}

}  // namespace leadline::app
