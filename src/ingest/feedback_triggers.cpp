#include "ingest/feedback_triggers.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace leadline::ingest {
namespace {

// LEADLINE_FEEDBACK_DEBOUNCE (seconds) when set to one, else the default; until Set.
common::Seconds DebounceFromEnvironment() {
  const char* text = std::getenv("LEADLINE_FEEDBACK_DEBOUNCE");
  common::Seconds seconds = kDefaultFeedbackDebounce;
  if (text == nullptr) return seconds;
  const char* end = text + std::strlen(text);
  common::Seconds parsed = 0;
  const auto [at, error] = std::from_chars(text, end, parsed);
  if (error == std::errc() && at == end && parsed >= 0 && parsed <= common::kHour) seconds = parsed;
  return seconds;
}

std::atomic<common::Seconds> debounce{DebounceFromEnvironment()};

std::string PullRequestMark(const model::PullRequest& pr) {
  return std::string(model::PullRequestStateName(pr.state)) + "|" + std::to_string(pr.updated_at) +
         "|" + pr.source_commit + "|" + pr.merge_commit.value_or("") + "|" +
         std::to_string(pr.comment_count);
}

std::string DeploymentMark(const model::PlatformDeployment& d) {
  return d.uuid + "|" + model::PlatformDeploymentStateName(d.state) + "|" + d.commit_sha;
}

// Either hash is a prefix of the other, and both are long enough to mean one commit.
bool SameCommit(const std::string& a, const std::string& b) {
  if (a.size() < 7 || b.size() < 7) return false;
  const std::size_t n = std::min(a.size(), b.size());
  return a.compare(0, n, b, 0, n) == 0;
}

// `shas` gets the commit of each deployment made since `since` (or of unknown time).
common::Result<std::set<std::string>> DeploymentMarks(store::Store& store, std::int64_t repo_id,
                                                      std::map<std::string, std::string>* shas,
                                                      common::UnixSeconds since = 0) {
  std::set<std::string> marks;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PlatformDeployment> platform,
                            store.pipelines().LoadPlatformDeployments(repo_id));
  for (const model::PlatformDeployment& d : platform) {
    const std::string mark = DeploymentMark(d);
    marks.insert(mark);
    const common::UnixSeconds at = d.completed_at.value_or(d.started_at.value_or(since));
    if (shas != nullptr && at >= since) (*shas)[mark] = d.commit_sha;
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Deployment> deployments,
                            store.history().LoadDeployments(repo_id));
  for (const model::Deployment& d : deployments) {
    const std::string mark = d.natural_key + "|" + d.sha;
    marks.insert(mark);
    if (shas != nullptr && (d.finished_at == 0 || d.finished_at >= since)) (*shas)[mark] = d.sha;
  }
  return marks;
}

common::Result<bool> FeedbackOn(store::Store& store, std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::FeedbackRepository> on,
                            store.feedback().LoadFeedbackRepositories());
  return std::any_of(on.begin(), on.end(), [&](const store::FeedbackRepository& repo) {
    return repo.repo_id == repo_id;
  });
}

}  // namespace

void SetFeedbackDebounce(common::Seconds seconds) {
  debounce = std::clamp<common::Seconds>(seconds, 0, common::kHour);
}
common::Seconds FeedbackDebounce() { return debounce; }

common::Result<std::optional<FeedbackMarks>> MarkForFeedback(store::Store& store,
                                                             std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(const bool on, FeedbackOn(store, repo_id));
  if (!on) return std::optional<FeedbackMarks>();
  FeedbackMarks marks;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequest> prs,
                            store.pull_requests().LoadPullRequests(repo_id));
  for (const model::PullRequest& pr : prs) marks.pull_requests[pr.number] = PullRequestMark(pr);
  LEADLINE_ASSIGN_OR_RETURN(marks.deployments, DeploymentMarks(store, repo_id, nullptr));
  return std::optional<FeedbackMarks>(std::move(marks));
}

common::Result<std::size_t> QueueFeedbackChanges(store::Store& store, std::int64_t repo_id,
                                                 const FeedbackMarks& before,
                                                 common::UnixSeconds now) {
  std::size_t queued = 0;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequest> prs,
                            store.pull_requests().LoadPullRequests(repo_id));
  for (const model::PullRequest& pr : prs) {
    const auto was = before.pull_requests.find(pr.number);
    if (was != before.pull_requests.end() && was->second == PullRequestMark(pr)) continue;
    if (pr.updated_at < now - kMostFeedbackEventAge) continue;  // history, not an event
    const char* reason = was == before.pull_requests.end()              ? "opened"
                         : pr.state == model::PullRequestState::kMerged ? "merged"
                                                                        : "updated";
    LEADLINE_ASSIGN_OR_RETURN(const bool on,
                              store.feedback().EnqueueFeedback(repo_id, pr.number, reason, now,
                                                               now + FeedbackDebounce()));
    if (!on) return queued;  // turned off meanwhile
    ++queued;
  }
  std::map<std::string, std::string> shas;
  LEADLINE_ASSIGN_OR_RETURN(const std::set<std::string> after,
                            DeploymentMarks(store, repo_id, &shas, now - kMostFeedbackEventAge));
  std::vector<std::string> deployed;
  for (const std::string& mark : after) {
    const auto sha = shas.find(mark);
    if (!before.deployments.contains(mark) && sha != shas.end()) deployed.push_back(sha->second);
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::size_t released,
                            QueueDeployedPullRequests(store, repo_id, deployed, now));
  return queued + released;
}

common::Result<std::size_t> QueueDeployedPullRequests(store::Store& store, std::int64_t repo_id,
                                                      const std::vector<std::string>& commits,
                                                      common::UnixSeconds now) {
  if (commits.empty()) return std::size_t{0};
  LEADLINE_ASSIGN_OR_RETURN(const bool on, FeedbackOn(store, repo_id));
  if (!on) return std::size_t{0};
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequest> prs,
                            store.pull_requests().LoadPullRequests(repo_id));
  std::size_t queued = 0;
  for (const model::PullRequest& pr : prs) {
    if (pr.state != model::PullRequestState::kMerged || !pr.merge_commit) continue;
    const bool released = std::any_of(commits.begin(), commits.end(), [&](const std::string& sha) {
      return SameCommit(sha, *pr.merge_commit);
    });
    if (!released) continue;
    LEADLINE_ASSIGN_OR_RETURN(const bool queued_one,
                              store.feedback().EnqueueFeedback(repo_id, pr.number, "deployed", now,
                                                               now + FeedbackDebounce()));
    if (queued_one) ++queued;
  }
  return queued;
}

}  // namespace leadline::ingest
