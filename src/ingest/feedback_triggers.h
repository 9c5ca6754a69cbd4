// What queues feedback posts (store/feedback_outbox.h) when data arrives, for repositories with
// feedback on: a sync marks its repository's pull requests and deployments before it runs and
// queues, after, each pull request that is new or changed (opened, reviewed, merged, closed) and
// each merged one whose merge commit a new deployment released; pushed deployments queue the same.
// Posts are due after the process's debounce delay, so events close together make one post.
// Functions over a store; single-threaded per store. The debounce is process-wide (atomic).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/time.h"
#include "store/store.h"

namespace leadline::ingest {

inline constexpr common::Seconds kDefaultFeedbackDebounce = 30;
// Pull requests last updated, and deployments made, longer ago than this are history, not
// events: a repository's first sync with feedback on posts on none of its old pull requests.
inline constexpr common::Seconds kMostFeedbackEventAge = 7 * common::kDay;
// How long after the last event a post is due, 0 to 1 hour: `serve --feedback-debounce`, or in
// any process the environment's LEADLINE_FEEDBACK_DEBOUNCE (seconds), else 30 s.
void SetFeedbackDebounce(common::Seconds seconds);
common::Seconds FeedbackDebounce();

struct FeedbackMarks {
  std::map<std::int64_t, std::string> pull_requests;  // number -> what a change would alter
  std::set<std::string> deployments;                  // a key per deployment and its state
};

// The marks of a repository with feedback on; nullopt when it is off (nothing to queue).
common::Result<std::optional<FeedbackMarks>> MarkForFeedback(store::Store& store,
                                                             std::int64_t repo_id);

// Queues what changed since `before`; returns how many posts were queued.
common::Result<std::size_t> QueueFeedbackChanges(store::Store& store, std::int64_t repo_id,
                                                 const FeedbackMarks& before,
                                                 common::UnixSeconds now);

// Queues the merged pull requests whose merge commit is one of `commits` (full or abbreviated
// hashes, either way); returns how many. Nothing for a repository with feedback off.
common::Result<std::size_t> QueueDeployedPullRequests(store::Store& store, std::int64_t repo_id,
                                                      const std::vector<std::string>& commits,
                                                      common::UnixSeconds now);

}  // namespace leadline::ingest
