#include "ingest/mirror_sync.h"

#include "git/git_mirror.h"
#include "git/git_repository.h"
#include "ingest/git_sync.h"
#include "ingest/sync_target.h"

namespace leadline::ingest {

constexpr int kFetchAttempts = 4;

common::Result<MirrorSync> SyncMirror(const MirrorSyncTarget& target) {
  const model::Repository& repository = target.repository;
  if (repository.clone_url.empty()) {
    return common::Status::FailedPrecondition(
        repository.location +
        ": Bitbucket listed no HTTPS clone URL for it; run `leadline repos list` to refresh");
  }
  auto tell = [&](const std::string& what) {
    if (target.on_progress) target.on_progress(what);
  };
  git::MirrorFetch fetch{
      repository.clone_url, target.mirror_path, target.authorization,
      [&](std::uint64_t received, std::uint64_t total) {
        tell("fetching " + std::to_string(received) + "/" + std::to_string(total) + " objects");
      }};
  MirrorSync out;
  common::Result<git::MirrorFetchResult> fetched = git::FetchMirror(fetch);
  for (int attempt = 1; attempt < kFetchAttempts && !fetched.ok() &&
                        fetched.status().code() == common::StatusCode::kUnavailable;
       ++attempt) {
    const std::chrono::seconds delay(1 << (attempt - 1));
    if (target.on_wait) {
      target.on_wait(fetched.status().message() + "; trying again in " +
                     std::to_string(delay.count()) + " s");
    }
    target.clock.SleepFor(delay);
    fetched = git::FetchMirror(fetch);
  }
  if (!fetched.ok()) return fetched.status();
  out.received_bytes = fetched->received_bytes;
  if (fetched->refs == 0) return out;  // an empty repository: nothing to store yet
  LEADLINE_ASSIGN_OR_RETURN(const git::GitRepository mirror,
                            git::GitRepository::Open(target.mirror_path));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Ref> refs, mirror.ReadRefs());

  store::Transaction transaction(target.store);
  LEADLINE_RETURN_IF_ERROR(transaction.Begin());
  LEADLINE_ASSIGN_OR_RETURN(
      const HistorySync history,
      StoreGitHistory(target.store, repository.id, mirror, refs, {}, [&](std::int64_t stored) {
        tell("storing " + std::to_string(stored) + " commits");
      }));
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  out.new_commits = history.new_commits;
  out.total_commits = history.total_commits;
  out.refs_changed = history.refs_changed;
  return out;
}

common::Result<MirrorSync> SyncTargetMirror(const SyncTarget& target) {
  if (target.mirror_path.empty()) return MirrorSync();
  return SyncMirror({target.store,
                     target.repository,
                     target.mirror_path,
                     target.settings.GitAuthorization(),
                     {},
                     common::SystemClock(),
                     target.on_wait});
}

}  // namespace leadline::ingest
