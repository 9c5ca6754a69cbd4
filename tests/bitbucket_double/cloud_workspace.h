// The generated Bitbucket Cloud workspace the double serves: deterministic payloads, in the shapes
// of the real API (see ../shared/fixtures/captured): pull requests with 12-digit hashes, their
// activity, pipelines with polymorphic states, deployments that name their environment by uuid
// only, and environments with environment_type. Pure functions of the configuration and of the
// git history (git_double/git_history.h), whose commits they name.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "git_double/git_history.h"

namespace leadline::testing {

struct CloudWorkspaceShape {
  std::string workspace = "acme";
  std::string nickname = "devnick";
  int pull_requests = 0;              // per repository
  int pipelines = 0;                  // per repository
  int deployments = 0;                // per repository
  bool last_pipeline_running = true;  // the newest pipeline is still in progress
  std::int64_t start = 1767225600;    // when the history begins: 2026-01-01T00:00:00Z
  // The clock of the history: pull requests come one `pace` apart, pipelines and deployments two,
  // and every step inside a pull request scales with it (the times below are for an hour).
  std::int64_t pace = 3600;
  // A varied organisation (the demo's) rather than the tests' uniform one: eight people in two
  // teams open the pull requests and write their commits; every 13th pull request is a hotfix
  // branch; every 51st (merged) reverts the change merged six earlier; each repository has its own
  // history, pace, review delays and home team (organisation.h), deploys at its own minute and
  // fails at its own rate.
  bool organisation = false;
  int repository = 0;  // in an organisation, the shape's repository: i for repo-i
  // When the reviewer first comments, approves, and the pull request closes, in thousandths of a
  // pace after it opens; 0: a sixth, a third and a half of a pace (see PullRequestEvents).
  int pickup_permille = 0;
  int approval_permille = 0;
  int close_permille = 0;
  // Comments a reviewer published together later, by pull request: each moves the pull
  // request's updated_on to `at` (see BitbucketDouble::PublishComments).
  struct PublishedComments {
    int count = 0;
    std::int64_t at = 0;
  };
  std::map<int, PublishedComments> published;
  // Production deployments are manual steps: a pipeline that deploys to staging then pauses
  // (IN_PROGRESS, stage PAUSED) with its production deployment UNDEPLOYED, until someone triggers
  // it; every fourth pipeline was triggered when it ran. See PipelineResultOf.
  bool manual_production = false;
  std::map<int, std::int64_t> triggered;  // pipeline number -> when its manual step was run
};

// Who opens a pull request and writes its commit (Person::account: BracedUuid(account)).
Person PullRequestAuthor(const CloudWorkspaceShape& shape, int number);
std::string PullRequestBranch(const CloudWorkspaceShape& shape, int number);  // "feature/n"
std::string PullRequestTitle(const CloudWorkspaceShape& shape, int number);   // "Change n"
// The full message of a pull request's commit: its title, and for a revert git's body.
std::string PullRequestCommitMessage(const CloudWorkspaceShape& shape, int number);
// A merged pull request lands as a merge commit, or (every sixth) as a squash commit, with this
// message.
bool PullRequestSquashed(int number);
std::string PullRequestMergeMessage(const CloudWorkspaceShape& shape, int number);

// Every repository is named repo-i. In the uniform workspace they all hold the same history; in
// an organisation each has its own.
std::string RepoSlug(int i);
// i for "repo-i", 0 for any other name.
int RepoNumber(const std::string& slug);

// Pull requests 1..N are created a pace (an hour by default) apart from the start, each closed (or
// last touched) half a pace after it was created (in an organisation, its close_permille); every
// third is merged, every fifth declined.
// Comments published later move updated_on, not the closing time.
std::string PullRequestState(int number);  // "MERGED", "DECLINED" or "OPEN"
std::int64_t PullRequestCreatedOn(const CloudWorkspaceShape& shape, int number);
std::int64_t PullRequestCommittedOn(const CloudWorkspaceShape& shape, int number);  // its commit
std::int64_t PullRequestClosedOn(const CloudWorkspaceShape& shape, int number);
std::int64_t PullRequestUpdatedOn(const CloudWorkspaceShape& shape, int number);
int PullRequestCommentCount(int number);

// Adds the commits of pull requests up to `shape.pull_requests` to `history`: pull request n's
// commit is authored a sixth of a pace before it is opened, on its branch; a merged one lands on
// main when it closes.
void GrowHistory(GitHistory& history, const CloudWorkspaceShape& shape);

// What happens to a pull request, as both editions' activity lists tell it: it is opened; the
// reviewer comments (on even numbers) a sixth of a pace later (10 minutes at the default pace),
// requests changes (every seventh) at a quarter and approves (unless it is declined) at a third;
// then it is merged or declined; comments published later come last, each with its own id. In an
// organisation the comment and the approval come at the repository's pickup_permille and
// approval_permille, the changes requested halfway between them.
enum class PullRequestAction {
  kOpened,
  kCommented,
  kChangesRequested,
  kApproved,
  kMerged,
  kDeclined
};
struct PullRequestEvent {
  PullRequestAction action;
  std::int64_t at;
  int comment_id = 0;  // kCommented: the comment's id
};
std::vector<PullRequestEvent> PullRequestEvents(const CloudWorkspaceShape& shape, int number);
nlohmann::json CloudPullRequest(const CloudWorkspaceShape& shape, const GitHistory& history,
                                const std::string& slug, int number);

// `/pullrequests/{id}/commits`: the pull request's own commit, as Cloud lists it, oldest first.
// Cloud lists nothing once it no longer holds a deleted branch's commits: here every 30th pull
// request's (PullRequestCommitsKept).
bool PullRequestCommitsKept(int number);
nlohmann::json CloudPullRequestCommits(const CloudWorkspaceShape& shape, const GitHistory& history,
                                       int number);

// The activity entries of every pull request of a repository, newest first (ties: the higher
// pull request number first), as `/pullrequests/activity` lists them.
nlohmann::json CloudActivityStream(const CloudWorkspaceShape& shape, const GitHistory& history);

// Pipelines 1..N run two paces apart on main's tip then, for five minutes; every sixth fails, and
// the newest is still running while `last_pipeline_running`. With manual production steps the
// others pause, unless their step was triggered (every fourth, and those in `triggered`).
enum class PipelineResult { kSuccessful, kFailed, kRunning, kPaused };
inline constexpr std::int64_t kPipelineSeconds = 300;
std::int64_t PipelineCreatedOn(const CloudWorkspaceShape& shape, int number);
PipelineResult PipelineResultOf(const CloudWorkspaceShape& shape, int number);
std::string PipelineCommit(const CloudWorkspaceShape& shape, const GitHistory& history, int number);

// Newest first when `newest_first`.
nlohmann::json CloudPipelines(const CloudWorkspaceShape& shape, const GitHistory& history,
                              const std::string& slug, bool newest_first);
// Deployment k is of pipeline k's time, to staging (odd k) or production (even k); with manual
// production steps, a production deployment of a paused pipeline is UNDEPLOYED (no start), and one
// triggered later starts then. Newest start first when `newest_first` (not started: last).
nlohmann::json CloudDeployments(const CloudWorkspaceShape& shape, const GitHistory& history,
                                const std::string& slug, bool newest_first = false);
nlohmann::json CloudEnvironments();

std::string BracedUuid(int i);

}  // namespace leadline::testing
