#include "ingest/git_sync.h"

#include <algorithm>
#include <unordered_set>

#include "common/progress.h"
#include "ingest/deployment_sources.h"

namespace leadline::ingest {
namespace {

constexpr std::size_t kInsertBatch = 4096;
// Set while a walk split into several transactions is under way: its stored commits may lack
// ancestors until it ends. The cursor store keeps it per repository.
constexpr const char* kIncompleteCursor = "history_incomplete";

common::Result<std::vector<model::Deployment>> ReadDeployments(const git::GitRepository& repo,
                                                               const std::vector<model::Ref>& refs,
                                                               const DeploymentSource& source) {
  if (!source.deploy_log_path) {
    return DeploymentsFromTags(refs, source.tag_pattern,
                               [&](const std::string& sha) { return repo.CommitterTime(sha); });
  }
  LEADLINE_ASSIGN_OR_RETURN(auto log, sources::ReadDeployLogFile(*source.deploy_log_path));
  if (log.empty()) {
    return common::Status::InvalidArgument("the deploy log '" + *source.deploy_log_path +
                                           "' lists no deployments");
  }
  std::vector<std::string> resolved;
  resolved.reserve(log.size());
  for (const sources::DeployLogEntry& entry : log) {
    auto sha = repo.ResolveCommit(entry.sha);
    if (!sha.ok()) {
      return sha.status().WithContext("deploy log '" + *source.deploy_log_path + "' line " +
                                      std::to_string(entry.line));
    }
    resolved.push_back(std::move(*sha));
  }
  return DeploymentsFromLog(log, resolved);
}

}  // namespace

common::Result<GitState> ReadGitState(const git::GitRepository& repo,
                                      const DeploymentSource& source) {
  GitState state;
  LEADLINE_ASSIGN_OR_RETURN(state.refs, repo.ReadRefs());
  LEADLINE_ASSIGN_OR_RETURN(state.deployments, ReadDeployments(repo, state.refs, source));
  return state;
}

common::Result<HistorySync> StoreGitHistory(store::Store& store, store::Transaction& transaction,
                                            std::int64_t repo_id, const git::GitRepository& repo,
                                            const std::vector<model::Ref>& refs,
                                            const std::vector<std::string>& tips,
                                            const std::function<void(std::int64_t)>& on_batch,
                                            std::int64_t commits_per_transaction) {
  HistorySync result;
  // A walk split into transactions and stopped half-way (a killed process) left commits whose
  // ancestors may not be stored: this walk does not stop at stored commits, and stores what is
  // missing (a stored commit is offered again and skipped).
  LEADLINE_ASSIGN_OR_RETURN(const std::string incomplete,
                            store.cursors().LoadCursor(repo_id, kIncompleteCursor));
  const bool resumed = !incomplete.empty();
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Ref> stored_refs, store.history().LoadRefs(repo_id));
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Deployment> stored_deployments,
                            store.history().LoadDeployments(repo_id));
  std::unordered_set<std::string> stored_tips;
  for (const model::Ref& ref : stored_refs) stored_tips.insert(ref.target_sha);
  for (const model::Deployment& d : stored_deployments) stored_tips.insert(d.sha);
  std::vector<std::string> new_tips;
  for (const model::Ref& ref : refs) {
    if (!stored_tips.contains(ref.target_sha)) new_tips.push_back(ref.target_sha);
  }
  for (const std::string& tip : tips) {
    if (!stored_tips.contains(tip)) new_tips.push_back(tip);
  }
  result.refs_changed = stored_refs != refs;

  const std::size_t batch_size =
      commits_per_transaction > 0
          ? std::min(kInsertBatch, static_cast<std::size_t>(commits_per_transaction))
          : kInsertBatch;
  std::vector<model::Commit> batch;
  batch.reserve(batch_size);
  bool split = false;
  std::int64_t in_transaction = 0;
  // After a part is committed, the next is begun only when it has rows to write: meanwhile the
  // walk reads, and other writers take the lock (SQLite's BEGIN IMMEDIATE takes it at once).
  bool between_parts = false;
  auto flush = [&]() -> common::Status {
    if (between_parts && !batch.empty()) {
      LEADLINE_RETURN_IF_ERROR(transaction.BeginAgain());
      between_parts = false;
    }
    // In key order, the store's B-tree inserts touch each page once per batch.
    std::sort(batch.begin(), batch.end(),
              [](const model::Commit& a, const model::Commit& b) { return a.sha < b.sha; });
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t inserted,
                              store.history().InsertCommits(repo_id, batch));
    result.new_commits += inserted;
    in_transaction += static_cast<std::int64_t>(batch.size());
    batch.clear();
    if (commits_per_transaction > 0 && in_transaction >= commits_per_transaction) {
      // Committed along the way, so that other writers of the store (the server's intake on
      // SQLite) wait for one part, not for the whole history; marked unfinished meanwhile.
      if (!split && !resumed) {
        LEADLINE_RETURN_IF_ERROR(store.cursors().SaveCursor(repo_id, kIncompleteCursor, "1"));
      }
      split = true;
      LEADLINE_RETURN_IF_ERROR(transaction.Commit());
      between_parts = true;
      in_transaction = 0;
    }
    if (on_batch) on_batch(result.new_commits);
    return common::Status::Ok();
  };
  if (!new_tips.empty()) {
    std::unordered_set<std::string> stored;
    if (!stored_tips.empty() && !resumed) {
      LEADLINE_ASSIGN_OR_RETURN(std::vector<std::string> shas,
                                store.history().LoadCommitShas(repo_id));
      stored.insert(std::make_move_iterator(shas.begin()), std::make_move_iterator(shas.end()));
    }
    auto known = [&](const std::string& sha) { return stored.contains(sha); };
    LEADLINE_RETURN_IF_ERROR(repo.ReadCommits(new_tips, known, [&](model::Commit&& commit) {
      batch.push_back(std::move(commit));
      return batch.size() == batch_size ? flush() : common::Status::Ok();
    }));
    LEADLINE_RETURN_IF_ERROR(flush());
  }
  // The caller's transaction, open again for the rest.
  if (between_parts) LEADLINE_RETURN_IF_ERROR(transaction.BeginAgain());
  // Every commit reachable from the refs is stored now (with the caller's commit).
  if (resumed || split)
    LEADLINE_RETURN_IF_ERROR(store.cursors().SaveCursor(repo_id, kIncompleteCursor, ""));
  if (result.refs_changed) LEADLINE_RETURN_IF_ERROR(store.history().ReplaceRefs(repo_id, refs));
  LEADLINE_ASSIGN_OR_RETURN(result.total_commits, store.history().CountCommits(repo_id));
  return result;
}

common::Result<GitSyncResult> SyncGitRepository(store::Store& store,
                                                store::Transaction& transaction,
                                                const git::GitRepository& repo,
                                                const GitState& state) {
  GitSyncResult result;
  result.repository.source = "git";
  result.repository.location = repo.location();
  result.repository.name = repo.name();
  result.repository.default_branch = repo.DefaultBranch();
  LEADLINE_ASSIGN_OR_RETURN(result.repository.id,
                            store.repositories().UpsertRepository(result.repository));
  const std::int64_t repo_id = result.repository.id;

  std::vector<std::string> deployed;
  for (const model::Deployment& d : state.deployments) deployed.push_back(d.sha);
  common::ProgressBar progress("Reading " + result.repository.name, 0);
  LEADLINE_ASSIGN_OR_RETURN(const HistorySync history,
                            StoreGitHistory(store, transaction, repo_id, repo, state.refs, deployed,
                                            [&](std::int64_t stored) {
                                              progress.Set(static_cast<std::uint64_t>(stored));
                                            }));
  progress.Finish();
  result.new_commits = history.new_commits;
  result.total_commits = history.total_commits;
  result.refs_changed = history.refs_changed;
  LEADLINE_ASSIGN_OR_RETURN(result.deployments_changed,
                            store.history().ReplaceDeployments(repo_id, state.deployments));
  return result;
}

}  // namespace leadline::ingest
