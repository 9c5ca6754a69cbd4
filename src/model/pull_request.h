// Pull requests, the commits they carry and their review activity, as a code host reports them.
// Plain values with no I/O: safe to copy between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "model/repository.h"

namespace leadline::model {

// SUPERSEDED exists on Bitbucket Cloud only.
enum class PullRequestState { kOpen, kMerged, kDeclined, kSuperseded };
inline constexpr PullRequestState kPullRequestStates[] = {
    PullRequestState::kOpen, PullRequestState::kMerged, PullRequestState::kDeclined,
    PullRequestState::kSuperseded};

inline const char* PullRequestStateName(PullRequestState state) {
  switch (state) {
    case PullRequestState::kOpen:
      return "OPEN";
    case PullRequestState::kMerged:
      return "MERGED";
    case PullRequestState::kDeclined:
      return "DECLINED";
    case PullRequestState::kSuperseded:
      return "SUPERSEDED";
  }
  return "OPEN";
}

// A person as the code host knows them.
struct PlatformUser {
  // Bitbucket Cloud: the account uuid with its braces ("{64135f6a-...}"); Data Center: the slug.
  std::string id;
  std::string name;  // display name; empty when the payload has none
};

// What the host still lists of a merged pull request's own commits, read once when the mirror
// lacks them: a squash of a branch deleted before any sync saw it (ingest/branch_commits.h).
struct BranchCommits {
  int count = 0;  // 0: the host lists none (the branch and its commits are gone)
  common::UnixSeconds first_authored_at = 0;
  std::string author_email;  // the e-mail that authored most of them; empty when unknown
  bool operator==(const BranchCommits&) const = default;
};

struct PullRequest {
  std::int64_t number = 0;  // per repository, as in the pull request's URL
  std::string title;
  PullRequestState state = PullRequestState::kOpen;
  PlatformUser author;
  std::string source_branch;  // short names: "feature/x", "main"
  std::string target_branch;
  // Commit hashes exactly as given: Bitbucket Cloud abbreviates them to 12 hex digits, Data
  // Center gives all 40. The source commit is empty when the payload has none (deleted fork).
  std::string source_commit;
  // The target branch's commit as the host reports it (Cloud's destination.commit, Data Center's
  // toRef.latestCommit): for a merged pull request, the target before the merge. Empty when
  // unknown (rows synced before it was read).
  std::string target_commit;
  std::optional<std::string> merge_commit;  // merged pull requests, when the host says which
  common::UnixSeconds created_at = 0;
  common::UnixSeconds updated_at = 0;
  // Data Center's closedDate. Bitbucket Cloud sends closed_on only when asked for it by `fields`.
  std::optional<common::UnixSeconds> closed_at;
  std::optional<std::string> closed_by;  // PlatformUser::id of who merged or declined it
  int comment_count = 0;
  bool draft = false;
  // Merged pull requests: what the merge (or squash) commit changed, read from the mirror after
  // the sync that saw it merged; empty until then.
  std::optional<DiffStats> size;
  // Its own commits as the host lists them, when the mirror lacked them; empty until read.
  std::optional<BranchCommits> branch_commits;
};

// One commit of a pull request's source branch.
struct PullRequestCommit {
  std::int64_t pr_number = 0;
  std::string sha;
  Person author;
  common::UnixSeconds author_time = 0;
  std::optional<common::UnixSeconds> committer_time;  // Data Center only
  std::string message;
  std::vector<std::string> parents;  // first parent first; empty when the payload lists none
};

enum class PullRequestActivityKind { kComment, kApproval, kChangesRequested, kUpdate };
inline constexpr PullRequestActivityKind kPullRequestActivityKinds[] = {
    PullRequestActivityKind::kComment, PullRequestActivityKind::kApproval,
    PullRequestActivityKind::kChangesRequested, PullRequestActivityKind::kUpdate};

inline const char* PullRequestActivityKindName(PullRequestActivityKind kind) {
  switch (kind) {
    case PullRequestActivityKind::kComment:
      return "comment";
    case PullRequestActivityKind::kApproval:
      return "approval";
    case PullRequestActivityKind::kChangesRequested:
      return "changes_requested";
    case PullRequestActivityKind::kUpdate:
      return "update";
  }
  return "comment";
}

// One entry of a pull request's activity log.
struct PullRequestActivity {
  std::int64_t pr_number = 0;
  PullRequestActivityKind kind = PullRequestActivityKind::kComment;
  std::string actor_id;  // PlatformUser::id
  common::UnixSeconds at = 0;
  // kUpdate: the state the update left the pull request in, when the host says (Data Center's
  // UPDATED and RESCOPED entries do not).
  std::optional<PullRequestState> new_state;
  // The host's own id of the entry, "" where it has none (Cloud's approvals, requests for changes
  // and updates): entries of one second, person and kind are told apart by it.
  std::string upstream_id;
};

}  // namespace leadline::model
