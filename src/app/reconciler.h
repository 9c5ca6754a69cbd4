// The reconciliation poll inside `leadline serve`: every interval (15 minutes by default) an
// incremental sync of every selected repository, which catches whatever webhooks missed. Between
// runs it keeps the sync lag (seconds since the last successful run finished) current, once a
// second, for /metrics. Stop() waits for a run in progress. Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "common/status.h"
#include "common/time.h"

namespace leadline::app {

struct ReconcileRun {
  common::UnixSeconds started_at = 0;
  common::UnixSeconds finished_at = 0;
  common::Status status;  // the first repository's failure, if any
  bool changed = false;   // some repository had something new
};

class Reconciler {
 public:
  using SyncAll = std::function<ReconcileRun()>;
  // `done` is told of each run; `lag` of the seconds since the last good run, once a second.
  Reconciler(common::Seconds interval, SyncAll sync, std::function<void(const ReconcileRun&)> done,
             std::function<void(common::Seconds)> lag);
  ~Reconciler();  // Stop()

  void Start();  // the first run comes one interval after the start
  void Stop();

 private:
  void Run();

  const common::Seconds interval_;
  const SyncAll sync_;
  const std::function<void(const ReconcileRun&)> done_;
  const std::function<void(common::Seconds)> lag_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace leadline::app
