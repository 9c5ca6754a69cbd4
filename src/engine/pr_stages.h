// The lead-time breakdown of pull requests (reference/dora-metrics.md, "Pull-request stages"):
//
//   coding  first commit (earliest author time among the PR's commits) → PR created
//   pickup  created → first review activity by someone other than the author (a comment, an
//           approval or a request for changes)
//   review  first review activity → merged
//   deploy  merged → finish of the first successful production deployment containing the merge
//           (or squash) commit
//   total   first commit → that deployment
//
// A stage whose end has not happened is empty (the PR is still in it); a stage whose end comes
// before its start (clocks that disagree) is 0, never negative.
//
// A PR's commits come from the commit graph: for a merge commit, what its second parent brought
// in; for a squash or rebase merge, what the source branch's last commit reaches that the target
// did not before the merge (the branch's commits are in the mirror when a sync saw the PR open);
// for a fast-forward (or a rebase the host reports by its rebased tip), where the source commit
// is the merge commit itself, what it reaches that the target before the merge (the host's
// target commit) did not. A squash of a branch deleted before any sync saw it takes what the host
// still lists of its commits (model::BranchCommits: their count, first author time and main
// author). When none is known, the merge commit is counted alone and marked with why, and the
// first commit is unknown: coding and total stay empty rather than start at the squash. Pure
// functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/attribution.h"
#include "engine/distribution.h"
#include "engine/snapshot.h"
#include "model/deployment.h"
#include "model/pull_request.h"

namespace leadline::engine {

struct StageOptions {
  // Authors whose display name or id contains one of these (case-insensitive) are bots: their
  // PRs are counted but left out of the stage figures.
  std::vector<std::string> bot_patterns = {"[bot]",    "renovate",       "dependabot",
                                           "snyk-bot", "github-actions", "pipelines-bot"};
};

// Where a pull request is: still open (or declined), merged and waiting for a production
// deployment that contains it, or deployed.
enum class PullRequestProgress { kOpen, kClosed, kAwaitingDeploy, kDeployed };
const char* PullRequestProgressName(PullRequestProgress progress);

// Why a merged pull request's own commits are unknown (the merge commit stands in for them).
enum class CommitsUnknown : std::uint8_t {
  kNo,
  kBranchNotSeen,  // squashed from a branch no sync saw, its commits not read from the host
  kTargetNotRead,  // fast-forward or rebased, and the target's commit before the merge not stored
  kBranchGone,     // squashed from a branch no sync saw, and the host lists none of its commits
};

// Lines a pull request changed (added and deleted), when its size is known.
std::optional<int> LinesChanged(const std::optional<model::DiffStats>& size);

struct PullRequestStages {
  std::int64_t number = 0;
  std::string title;
  model::PullRequestState state = model::PullRequestState::kOpen;
  model::PlatformUser author;
  bool bot = false;
  PullRequestProgress progress = PullRequestProgress::kOpen;
  std::size_t commits = 0;
  std::optional<model::DiffStats> size;  // files and lines its merge changed, when read
  // Review depth, as context: comments and distinct reviewers other than the author.
  std::size_t review_comments = 0;
  std::size_t reviewers = 0;
  // The PR's own commits were not found: the merge commit stands in, and the first commit is
  // unknown.
  CommitsUnknown commits_unknown = CommitsUnknown::kNo;
  bool commits_estimated() const { return commits_unknown != CommitsUnknown::kNo; }
  // The e-mail that authored most of the PR's own commits (Snapshot::author_emails), which lets a
  // team name its members by e-mail where the host shows none (Bitbucket Cloud).
  std::uint32_t commit_email = kNoEmail;
  std::optional<common::UnixSeconds> first_commit_at;
  common::UnixSeconds created_at = 0;
  std::optional<common::UnixSeconds> first_review_at;
  std::optional<common::UnixSeconds> merged_at;
  std::optional<common::UnixSeconds> deployed_at;
  std::optional<std::size_t> deployment;  // index into the deployments given
  // Its merge was shipped by the first deployment but is older than that deployment's lookback,
  // so, as for lead time, it has no deploy or total stage.
  bool before_first_lookback = false;
  std::optional<common::Seconds> coding, pickup, review, deploy, total;
};

// `activity` may hold any PRs' entries in any order. `deployments` and `attribution` are those of
// the repository's analysis (AnalyzeDeployments). One row per pull request, in the given order.
std::vector<PullRequestStages> ComputeStages(const Snapshot& snapshot,
                                             std::span<const model::PullRequest> pull_requests,
                                             std::span<const model::PullRequestActivity> activity,
                                             std::span<const model::Deployment> deployments,
                                             const Attribution& attribution,
                                             const StageOptions& options);

bool IsBot(const model::PlatformUser& user, const StageOptions& options);

// Authors whose name (or id) has "bot" in it but whom no bot pattern matches, for `doctor`.
std::vector<std::string> BotLikeAuthors(std::span<const model::PullRequest> pull_requests,
                                        const StageOptions& options);

struct StageSummary {
  std::size_t merged = 0;                 // merged in the window, bots included
  std::size_t bots_excluded = 0;          // of those, by bots: left out of the figures
  std::size_t estimated = 0;              // of the rest, those whose commits were estimated
  std::size_t before_first_lookback = 0;  // of the rest, merged before the first lookback
  Distribution coding, pickup, review, deploy, total;
  Distribution size_lines;  // lines added and deleted, over those whose size is known
};

// Accumulates merged pull requests into a StageSummary: bots are counted and left out; a stage's
// sample holds the pull requests that have it (deploy and total only those deployed yet, and
// not before the first deployment's lookback).
class StageSampler {
 public:
  struct Flags {
    bool bot = false;
    bool estimated = false;
    bool before_first_lookback = false;
  };
  void Add(Flags flags, const std::optional<common::Seconds> (&stages)[5],
           std::optional<int> lines_changed);
  StageSummary Finish();

 private:
  StageSummary summary_;
  std::vector<double> samples_[5];  // coding, pickup, review, deploy, total
  std::vector<double> lines_;
};

// Over the pull requests merged in [since, until) (StageSampler).
StageSummary SummarizeStages(std::span<const PullRequestStages> rows, common::UnixSeconds since,
                             common::UnixSeconds until);

}  // namespace leadline::engine
