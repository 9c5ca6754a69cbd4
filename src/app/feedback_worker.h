// Drains the feedback outbox inside `leadline serve`: a background thread that, every poll
// interval (or when told), claims the due rows for this server (`owner`) for a lease, posts each
// (feedback_poster.h), and finishes it: deleted once posted (kept to post again when a trigger
// came meanwhile), or, on failure, released with its error and due again after a backoff that
// doubles from `retry_after` up to an hour (or later, when the host's Retry-After says so), until
// `most_attempts`; bad input gives up at once, and a refusal of the credentials (403, or Data
// Center's 401 for a missing permission) also turns the repository's feedback off with the reason
// (store/feedback_outbox.h RefuseFeedback). Rows
// older than `max_age` are dropped. Every post is written to the audit log (token "feedback",
// method POST, path "<location>#<number> <mode>", the host's status). The rows of one repository
// in a batch render from one reading of it. Rows of a server that died are taken over once their
// lease ends, or at once when it is started again (`owner` is its slot's name, server_slot.h), so a
// post is never lost; one may be made twice at worst, which edits the same comment or report in
// place. When it starts, it makes the store follow leadline.toml's [feedback]
// (feedback_settings.h), whose mode also wins over the stored one for each post. Stop() finishes
// the row in hand. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "app/connection_clients.h"
#include "common/time.h"
#include "config/paths.h"
#include "config/settings.h"
#include "http/retrying_http_client.h"

namespace leadline::app {

struct FeedbackWorkerOptions {
  common::Seconds poll = 1;
  common::Seconds lease = 120;
  common::Seconds retry_after = 30;  // the first retry's delay, doubled for each after it
  std::int64_t most_attempts = 8;
  std::size_t batch = 20;  // rows claimed at a time
  // Rows first queued longer ago than this are dropped unposted (counted per repository); 0:
  // never. Checked at most once a minute.
  common::Seconds max_age = 7 * common::kDay;
  // Told of each outcome, for /metrics: "posted", "skipped", "failed", "refused" (a 403 that
  // turned the repository's feedback off), and "dropped" with how many; may be empty.
  std::function<void(const std::string& outcome, std::int64_t count)> counted;
};

struct FeedbackDrain {
  std::int64_t posted = 0;
  std::int64_t skipped = 0;  // bots' pull requests
  std::int64_t failed = 0;   // refused ones included
  std::int64_t refused = 0;  // 403s: the repository's feedback is off until enabled again
  std::int64_t dropped = 0;  // stale rows dropped before claiming
  // The batch stopped with half its lease gone; the rows left are still this server's and due.
  bool cut_short = false;
};

// Whether a batch claimed at `claimed_at` for `lease` may still post a row at `now`: its first
// row always (so that a batch of slow posts still moves), the others only while half the lease
// is left, so that no row is posted after another server may have taken it over.
bool MayPostInLease(common::UnixSeconds claimed_at, common::Seconds lease, common::UnixSeconds now,
                    bool first_of_batch);

// The HTTP client's policy for posts: no retries of its own (the request budget still holds), so
// that the outbox's backoff and the host's Retry-After govern, not half a minute of the client's
// retries inside one post.
http::RetryPolicy FeedbackRetryPolicy();

// The delay before the attempt after `attempts` failed ones.
common::Seconds FeedbackBackoff(common::Seconds retry_after, std::int64_t attempts);

class FeedbackWorker {
 public:
  // `log` is told of each failure (one line, no secrets); may be empty.
  FeedbackWorker(config::Paths paths, std::string owner, config::Settings settings,
                 ConnectionClients& clients, FeedbackWorkerOptions options,
                 std::function<void(const std::string&)> log);
  ~FeedbackWorker();  // Stop()

  void Start();
  void Notify();  // rows may be due
  void Stop();

  // Claims and posts what is due at `now` once, on `store`; the worker's thread calls it, and
  // tests and benchmarks may.
  common::Result<FeedbackDrain> DrainOnce(store::Store& store, common::UnixSeconds now);

 private:
  void Run();
  void Count(const std::string& outcome, std::int64_t count);

  const config::Paths paths_;
  const std::string owner_;
  const config::Settings settings_;
  ConnectionClients& clients_;
  const FeedbackWorkerOptions options_;
  const std::function<void(const std::string&)> log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool notified_ = false;
  bool stopping_ = false;
  std::thread thread_;
  common::UnixSeconds next_age_check_ = 0;  // DrainOnce's: one caller at a time
  bool overrides_applied_ = false;          // Run's: leadline.toml's [feedback], once
};

}  // namespace leadline::app
