#include "app/git_report.h"

#include "app/incidents.h"
#include "app/snapshot_loader.h"
#include "git/git_repository.h"
#include "store/store.h"

namespace leadline::app {
namespace {

using common::Result;

// Every shipped commit, with whether it was credited (false beyond the first lookback).
std::vector<model::DeploymentChange> DeploymentChanges(
    const engine::Snapshot& snapshot, const std::vector<model::Deployment>& deployments,
    const engine::DeploymentAnalysis& analysis) {
  const auto& shipped_by = analysis.attribution.shipped_by;
  const auto& credited = analysis.attribution.credited;
  std::vector<model::DeploymentChange> changes;
  for (engine::CommitIndex c = 0; c < shipped_by.size(); ++c) {
    if (shipped_by[c] == engine::Attribution::kNoDeployment) continue;
    changes.push_back({deployments[shipped_by[c]].id, snapshot.graph.id(c).Hex(), credited[c]});
  }
  return changes;
}

}  // namespace

Result<GitReport> RunGitReport(const GitReportRequest& request) {
  // The repository and its deployments first: bad input must not even create the store.
  LEADLINE_ASSIGN_OR_RETURN(git::GitRepository repo, git::GitRepository::Open(request.git_path));
  LEADLINE_ASSIGN_OR_RETURN(const ingest::GitState state,
                            ingest::ReadGitState(repo, request.deployments));
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                            store::OpenStore(request.paths.store));

  GitReport out;
  engine::Snapshot snapshot;
  engine::DeploymentAnalysis analysis;
  {
    LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store->Begin());
    LEADLINE_ASSIGN_OR_RETURN(out.sync,
                              ingest::SyncGitRepository(*store, transaction, repo, state));
    out.repository = out.sync.repository;
    const std::int64_t repo_id = out.repository.id;
    LEADLINE_ASSIGN_OR_RETURN(snapshot, LoadSnapshot(*store, repo_id, request.hotfix_prefixes,
                                                     request.paths.snapshots_dir));
    LEADLINE_ASSIGN_OR_RETURN(out.deployments, store->history().LoadDeployments(repo_id));
    LEADLINE_ASSIGN_OR_RETURN(engine::IncidentSelection incidents,
                              RepositoryIncidents(*store, out.repository, request.incidents,
                                                  snapshot.graph, out.deployments));
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Ref> refs,
                              store->history().LoadRefs(repo_id));
    engine::RepositoryContext context;
    context.branches.default_tip = BranchTip(snapshot.graph, refs, out.repository.default_branch);
    analysis = engine::AnalyzeDeployments(snapshot, out.deployments, request.analysis,
                                          std::move(incidents.points), context);
    // Stored changes are rewritten only when the history, the deployments or the lookback moved.
    const std::string basis = "lookback_s=" + std::to_string(request.analysis.first_lookback);
    LEADLINE_ASSIGN_OR_RETURN(const std::string stored_basis,
                              store->history().DeploymentChangesBasis(repo_id));
    if (out.sync.changed() || stored_basis != basis) {
      LEADLINE_RETURN_IF_ERROR(store->history().ReplaceDeploymentChanges(
          repo_id, DeploymentChanges(snapshot, out.deployments, analysis), basis));
    }
    LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  }
  out.commits_in_graph = snapshot.graph.size();
  out.graph_bytes = snapshot.graph.MemoryBytes();
  out.unresolved_reverts = snapshot.unresolved_reverts;
  LEADLINE_ASSIGN_OR_RETURN(out.report, engine::BuildReport(snapshot, out.deployments, analysis,
                                                            ResolveWindow(request, out.deployments),
                                                            request.benchmark_year));
  return out;
}

}  // namespace leadline::app
