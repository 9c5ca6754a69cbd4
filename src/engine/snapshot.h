// Snapshot: the immutable in-memory view of one repository that metric queries run on: its
// commit graph plus the few facts read from commit messages (reverts, hotfix merges). Built by
// SnapshotBuilder from commits streamed out of the store, in any order; messages are read once
// and not kept. Immutable after Build(): safe to share between threads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "engine/commit_graph.h"

namespace leadline::engine {

struct RevertFact {
  CommitIndex revert = kNoCommit;    // the reverting commit
  CommitIndex reverted = kNoCommit;  // the commit it undoes
};

struct HotfixMerge {
  CommitIndex commit = kNoCommit;  // the merge (or squash) commit that brought the branch in
  std::string branch;
  // When it was merged, as the host says (pull requests); else the commit's committer time.
  std::optional<common::UnixSeconds> merged_at;
};

struct Snapshot {
  CommitGraph graph;
  std::vector<RevertFact> reverts;  // only those whose reverted commit is known
  std::vector<HotfixMerge> hotfix_merges;
  // Per commit: its message names a merged branch (ParseMergedBranch), so it merged a pull
  // request or a branch, by a merge commit or a squash.
  std::vector<bool> names_merged_branch;
  std::size_t unresolved_reverts = 0;  // revert messages naming a commit not in the graph
  // Who wrote each commit, for matching team members given by e-mail: the distinct author
  // e-mails (lower case) and, per commit index, the position of its author's (kNoEmail if none).
  std::vector<std::string> author_emails;
  std::vector<std::uint32_t> author_email_of;
};

inline constexpr std::uint32_t kNoEmail = 0xffffffffu;

struct CommitRecord {
  std::string_view sha;          // 40 hex digits
  std::string_view parent_shas;  // space-separated
  common::UnixSeconds author_time = 0;
  common::UnixSeconds committer_time = 0;
  std::string_view message;
  std::string_view author_email;  // may be empty
};

class SnapshotBuilder {
 public:
  // A merged branch whose name starts with one of `hotfix_prefixes` is a hotfix.
  explicit SnapshotBuilder(std::vector<std::string> hotfix_prefixes);

  void Reserve(std::size_t commits) {
    graph_.Reserve(commits);
    subject_hashes_.reserve(commits);
    email_at_.reserve(commits);
  }
  common::Status Add(const CommitRecord& commit);
  common::Result<Snapshot> Build();

 private:
  std::uint32_t InternEmail(std::string_view email);

  struct PendingRevert {
    std::size_t position;
    std::string sha;
    std::uint64_t subject_hash;
  };
  struct PendingHotfix {
    std::size_t position;
    std::string branch;
  };

  std::vector<std::string> hotfix_prefixes_;
  CommitGraphBuilder graph_;
  std::vector<std::uint64_t> subject_hashes_;  // per input position, to resolve reverts by subject
  std::vector<std::uint32_t> email_at_;        // per input position
  // Lookups by string_view, without building a string for each commit.
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using EmailIds = std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>;
  EmailIds email_ids_;      // lower-case e-mail -> position in emails_
  EmailIds written_email_;  // e-mail as a commit wrote it -> the same position
  std::vector<std::string> emails_;
  std::vector<PendingRevert> reverts_;
  std::vector<PendingHotfix> hotfixes_;
  std::vector<std::size_t> merge_messages_;  // input positions whose message names a branch
};

}  // namespace leadline::engine
