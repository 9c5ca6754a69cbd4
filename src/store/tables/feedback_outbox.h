// Feedback on pull requests (docs/feedback.md), as the store keeps it: which repositories have it
// on (and how it is shown), and the durable outbox of posts still to make.
//
// The outbox holds at most one row per (repository, pull request). A trigger (opened, reviewed,
// merged, deployed) for a pull request that already has a row replaces its reason and pushes its
// due time back (debouncing: several events close together make one post); each trigger bumps the
// row's generation. A poster claims due rows for a lease (so one pull request has at most one post
// in flight, across processes), renders and posts, then finishes the row: deleted only when no
// trigger came meanwhile (same generation), else released to post again. A failure keeps the row
// with its last error and the next try's time; after the most attempts it stays as failed, for
// `leadline feedback status`, until a new trigger revives it. Nothing is lost on a crash: a claim
// whose holder died is taken over when its lease ends, or at once by the same owner (a server
// started again under its slot's name, app/server_slot.h).
//
// Reached through Store::feedback(), on the store's connection; used from one thread at a time,
// like the Store. Outside a transaction each call commits at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace leadline::store {

// How feedback is shown: a Code Insights report (Bitbucket; GitLab has none and gets a note)
// or one comment (note) kept up to date.
enum class FeedbackMode { kInsights, kComment };
const char* FeedbackModeName(FeedbackMode mode);  // "insights", "comment"

struct FeedbackRepository {
  std::int64_t repo_id = 0;
  std::string location;  // the repository's, for display
  FeedbackMode mode = FeedbackMode::kInsights;
  common::UnixSeconds enabled_at = 0;
  common::UnixSeconds last_posted_at = 0;  // 0: nothing posted yet
  std::int64_t posts = 0;                  // successful posts since enabled
  // Set when the code host refused a post (403; Data Center's 401 for a missing permission):
  // nothing is queued or posted for the repository until feedback is enabled again, which clears
  // it. The reason names what the credentials lack.
  common::UnixSeconds refused_at = 0;
  std::string refused_reason;
  std::int64_t dropped = 0;  // posts dropped unposted, older than the outbox's most age
};

struct FeedbackOutboxRow {
  std::int64_t id = 0;
  std::int64_t repo_id = 0;
  std::string location;  // the repository's
  std::int64_t number = 0;
  std::string reason;  // the latest trigger: "opened", "reviewed", "merged", "deployed", ...
  common::UnixSeconds queued_at = 0;  // the first trigger not yet posted
  common::UnixSeconds due_at = 0;     // when it may be posted (debounce or backoff)
  std::int64_t generation = 0;        // bumped by every trigger
  std::int64_t attempts = 0;          // failed posts so far
  bool failed = false;                // gave up after the most attempts
  std::string last_error;
};

// Bounds of what is stored, checked by every call (InvalidArgument past them).
inline constexpr std::size_t kMostFeedbackReasonBytes = 32;
inline constexpr std::size_t kMostFeedbackErrorBytes = 1024;  // longer errors are cut
inline constexpr std::size_t kMostFeedbackClaim = 1000;

class FeedbackOutbox {
 public:
  virtual ~FeedbackOutbox() = default;

  // Turns feedback on for a repository in `mode` (again: changes the mode and clears a refusal),
  // or off (also dropping its outbox rows).
  virtual common::Status EnableFeedback(std::int64_t repo_id, FeedbackMode mode,
                                        common::UnixSeconds now) = 0;
  virtual common::Status DisableFeedback(std::int64_t repo_id) = 0;
  // Repositories with feedback on, by location.
  virtual common::Result<std::vector<FeedbackRepository>> LoadFeedbackRepositories() = 0;

  // Queues a post for pull request `number`, due at `due_at`; a row already queued gets the new
  // reason, the later due time, and a new generation (a failed one is revived with no attempts).
  // Repositories without feedback on queue nothing: false.
  virtual common::Result<bool> EnqueueFeedback(std::int64_t repo_id, std::int64_t number,
                                               const std::string& reason, common::UnixSeconds now,
                                               common::UnixSeconds due_at) = 0;
  // Claims up to `limit` rows due at `now`, not failed and not held by another (or whose holder's
  // lease ended), for `owner` until `until`; returns them, soonest due first.
  virtual common::Result<std::vector<FeedbackOutboxRow>> ClaimDueFeedback(const std::string& owner,
                                                                          common::UnixSeconds now,
                                                                          common::UnixSeconds until,
                                                                          std::size_t limit) = 0;
  // A post succeeded: deletes the row when still at `generation`, else releases it (a trigger
  // came during the post: it posts again); counts the post for the repository. False when the
  // row was not `owner`'s.
  virtual common::Result<bool> FinishFeedback(std::int64_t id, const std::string& owner,
                                              std::int64_t generation, common::UnixSeconds now) = 0;
  // A post failed with `error`: the row is released, due again at `retry_at`, unless this was
  // attempt `most_attempts`, after which it stays failed. False when the row was not `owner`'s.
  virtual common::Result<bool> FailFeedback(std::int64_t id, const std::string& owner,
                                            const std::string& error, common::UnixSeconds retry_at,
                                            std::int64_t most_attempts) = 0;
  // The code host refused a post for the repository (403) with `reason`: its feedback stays off,
  // its rows unclaimed and nothing more queued, until it is enabled again. False when feedback is
  // not on for it.
  virtual common::Result<bool> RefuseFeedback(std::int64_t repo_id, const std::string& reason,
                                              common::UnixSeconds now) = 0;
  // Deletes the rows, pending or failed, first queued before `before` (a failed row revived by a
  // trigger counts from then), counting them as dropped for their repositories; returns how many.
  virtual common::Result<std::int64_t> DropStaleFeedback(common::UnixSeconds before) = 0;
  // Every row, pending and failed, oldest queued first (at most `limit`).
  virtual common::Result<std::vector<FeedbackOutboxRow>> LoadFeedbackOutbox(std::size_t limit) = 0;
};

}  // namespace leadline::store
