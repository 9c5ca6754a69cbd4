#include "app/git_report.h"

#include "git/git_repository.h"
#include "store/store.h"

namespace leadline::app {
namespace {

using common::Result;
using common::Status;

Result<engine::Snapshot> LoadSnapshot(store::Store& store, std::int64_t repo_id,
                                      std::int64_t commit_count,
                                      const std::vector<std::string>& hotfix_prefixes) {
  engine::SnapshotBuilder builder(hotfix_prefixes);
  builder.Reserve(static_cast<std::size_t>(commit_count));
  Status added = Status::Ok();
  LEADLINE_RETURN_IF_ERROR(store.ForEachCommit(repo_id, [&](const store::CommitView& c) {
    if (!added.ok()) return;
    added = builder.Add({c.sha, c.parent_shas, c.author_time, c.committer_time, c.message});
  }));
  LEADLINE_RETURN_IF_ERROR(added.WithContext("the store holds a malformed commit"));
  return builder.Build();
}

// Every shipped commit, with whether it was credited (false beyond the first lookback).
std::vector<model::DeploymentChange> DeploymentChanges(
    const engine::Snapshot& snapshot, const std::vector<model::Deployment>& deployments,
    const engine::DeploymentAnalysis& analysis) {
  const auto& shipped_by = analysis.attribution.shipped_by;
  std::vector<bool> credited(shipped_by.size(), false);
  for (const auto& shipment : analysis.attribution.deployments) {
    for (engine::CommitIndex c : shipment.credited) credited[c] = true;
  }
  std::vector<model::DeploymentChange> changes;
  for (engine::CommitIndex c = 0; c < shipped_by.size(); ++c) {
    if (shipped_by[c] == engine::Attribution::kNoDeployment) continue;
    changes.push_back({deployments[shipped_by[c]].id, snapshot.graph.id(c).Hex(), credited[c]});
  }
  return changes;
}

engine::ReportWindow ResolveWindow(const GitReportRequest& request,
                                   const std::vector<model::Deployment>& deployments) {
  engine::ReportWindow window;
  window.until = request.until.value_or(common::NowUnixSeconds());
  if (request.since) {
    window.since = *request.since;
  } else if (request.window) {
    window.since = window.until - *request.window;
  } else {
    window.since = deployments.empty() ? window.until : deployments.front().finished_at;
  }
  return window;
}

}  // namespace

Result<GitReport> RunGitReport(const GitReportRequest& request) {
  // The repository first: bad input must not even create the store.
  LEADLINE_ASSIGN_OR_RETURN(git::GitRepository repo, git::GitRepository::Open(request.git_path));
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(request.db_path));

  GitReport out;
  engine::Snapshot snapshot;
  engine::DeploymentAnalysis analysis;
  {
    store::Transaction transaction(*store);
    LEADLINE_RETURN_IF_ERROR(transaction.Begin());
    LEADLINE_ASSIGN_OR_RETURN(out.sync,
                              ingest::SyncGitRepository(*store, repo, request.deployments));
    out.repository = out.sync.repository;
    const std::int64_t repo_id = out.repository.id;
    LEADLINE_ASSIGN_OR_RETURN(snapshot, LoadSnapshot(*store, repo_id, out.sync.total_commits,
                                                     request.hotfix_prefixes));
    LEADLINE_ASSIGN_OR_RETURN(out.deployments, store->LoadDeployments(repo_id));
    analysis = engine::AnalyzeDeployments(snapshot, out.deployments, request.analysis);
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t stored_changes,
                              store->CountDeploymentChanges(repo_id));
    if (out.sync.changed() || stored_changes == 0) {
      LEADLINE_RETURN_IF_ERROR(store->ReplaceDeploymentChanges(
          repo_id, DeploymentChanges(snapshot, out.deployments, analysis)));
    }
    LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  }
  out.commits_in_graph = snapshot.graph.size();
  out.graph_bytes = snapshot.graph.MemoryBytes();
  out.unresolved_reverts = snapshot.unresolved_reverts;
  LEADLINE_ASSIGN_OR_RETURN(out.report,
                            engine::BuildReport(snapshot, out.deployments, analysis,
                                                ResolveWindow(request, out.deployments),
                                                request.benchmark_year));
  return out;
}

}  // namespace leadline::app
