#include "app/stored_report.h"

#include <algorithm>

#include "app/snapshot_loader.h"
#include "engine/deployment_selection.h"
#include "store/store.h"

namespace leadline::app {
namespace {

using common::Result;
using common::Status;

Result<model::Repository> FindSynced(store::Store& store, const std::string& location) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                            store.LoadConnectedRepositories());
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
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t commits, store.CountCommits(found->id));
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

Result<RepositoryReport> RunStoredReport(const StoredReportRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(request.db_path));
  RepositoryReport out;
  LEADLINE_ASSIGN_OR_RETURN(out.repository, FindSynced(*store, request.location));
  const std::int64_t repo_id = out.repository.id;
  LEADLINE_ASSIGN_OR_RETURN(const engine::Snapshot snapshot,
                            LoadSnapshot(*store, repo_id, request.hotfix_prefixes));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PlatformDeployment> records,
                            store->LoadPlatformDeployments(repo_id));
  out.deployments = engine::ProductionDeployments(records);
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequest> pull_requests,
                            store->LoadPullRequests(repo_id));
  if (out.deployments.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Ref> refs, store->LoadRefs(repo_id));
    out.deployments =
        engine::MergeProxyDeployments(snapshot, pull_requests, DefaultBranch(out.repository, refs))
            .deployments;
    out.proxy = true;
  }
  const engine::DeploymentAnalysis analysis =
      engine::AnalyzeDeployments(snapshot, out.deployments, request.analysis);
  out.commits_in_graph = snapshot.graph.size();
  out.graph_bytes = snapshot.graph.MemoryBytes();
  out.unresolved_reverts = snapshot.unresolved_reverts;
  const engine::ReportWindow window = ResolveWindow(request, out.deployments);
  LEADLINE_ASSIGN_OR_RETURN(out.report, engine::BuildReport(snapshot, out.deployments, analysis,
                                                            window, request.benchmark_year));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequestActivity> activity,
                            store->LoadPullRequestActivity(repo_id));
  out.pull_requests = engine::ComputeStages(snapshot, pull_requests, activity, out.deployments,
                                            analysis.attribution, request.stages);
  out.stages = engine::SummarizeStages(out.pull_requests, window.since, window.until);
  return out;
}

}  // namespace leadline::app
