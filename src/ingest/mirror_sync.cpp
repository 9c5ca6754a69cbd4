#include "ingest/mirror_sync.h"

#include <algorithm>
#include <cstdio>

#include "git/git_mirror.h"
#include "git/git_repository.h"
#include "ingest/git_sync.h"
#include "ingest/sync_target.h"

namespace leadline::ingest {

namespace {

constexpr int kFetchAttempts = 4;
// New commits stored per transaction: on SQLite, the server's intake waits for one part (0.13 to
// 0.15 s for the benchmark repository) rather than for a whole first history (1 s there).
constexpr std::int64_t kCommitsPerTransaction = 20'000;
// The digest of the extra refs' commits stored last time.
constexpr const char* kExtraRefsCursor = "mirror_extra_refs";

// FNV-1a over the sorted commits: changes when any of them does, and stays short however many
// pull requests there are.
std::string DigestOf(const std::vector<std::string>& shas) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const std::string& sha : shas) {
    for (const char c : sha + "\n") {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ull;
    }
  }
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(hash));
  return std::to_string(shas.size()) + ":" + hex;
}

}  // namespace

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
      },
      target.extra_refs};
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
  // The extra refs' commits are walked only when they changed since the last sync: walking them
  // means loading every stored commit id, which a repeat sync otherwise skips.
  std::vector<std::string> extra_commits;
  for (const std::string& pattern : target.extra_refs) {
    LEADLINE_ASSIGN_OR_RETURN(std::vector<std::string> commits, mirror.ReadRefCommits(pattern));
    extra_commits.insert(extra_commits.end(), commits.begin(), commits.end());
  }
  std::sort(extra_commits.begin(), extra_commits.end());
  const std::string digest = extra_commits.empty() ? "" : DigestOf(extra_commits);

  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, target.store.Begin());
  LEADLINE_ASSIGN_OR_RETURN(const std::string stored_digest,
                            target.store.cursors().LoadCursor(repository.id, kExtraRefsCursor));
  if (digest == stored_digest) extra_commits.clear();
  LEADLINE_ASSIGN_OR_RETURN(
      const HistorySync history,
      StoreGitHistory(
          target.store, transaction, repository.id, mirror, refs, extra_commits,
          [&](std::int64_t stored) { tell("storing " + std::to_string(stored) + " commits"); },
          kCommitsPerTransaction));
  if (digest != stored_digest) {
    LEADLINE_RETURN_IF_ERROR(
        target.store.cursors().SaveCursor(repository.id, kExtraRefsCursor, digest));
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  out.new_commits = history.new_commits;
  out.total_commits = history.total_commits;
  out.refs_changed = history.refs_changed;
  return out;
}

common::Result<MirrorSync> SyncTargetMirror(const SyncTarget& target,
                                            std::vector<std::string> extra_refs) {
  if (target.mirror_path.empty()) return MirrorSync();
  return SyncMirror({target.store,
                     target.repository,
                     target.mirror_path,
                     target.settings.GitAuthorization(),
                     {},
                     common::SystemClock(),
                     target.on_wait,
                     std::move(extra_refs)});
}

}  // namespace leadline::ingest
