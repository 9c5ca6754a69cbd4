#include "app/snapshot_loader.h"

namespace leadline::app {

common::Result<engine::Snapshot> LoadSnapshot(store::Store& store, std::int64_t repo_id,
                                              const std::vector<std::string>& hotfix_prefixes) {
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t commit_count, store.CountCommits(repo_id));
  engine::SnapshotBuilder builder(hotfix_prefixes);
  builder.Reserve(static_cast<std::size_t>(commit_count));
  common::Status added = common::Status::Ok();
  LEADLINE_RETURN_IF_ERROR(store.ForEachCommit(repo_id, [&](const store::CommitView& c) {
    if (!added.ok()) return;
    added = builder.Add(
        {c.sha, c.parent_shas, c.author_time, c.committer_time, c.message, c.author_email});
  }));
  LEADLINE_RETURN_IF_ERROR(added.WithContext("the store holds a malformed commit"));
  return builder.Build();
}

}  // namespace leadline::app
