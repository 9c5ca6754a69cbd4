// The reconciliation poll inside `leadline serve`: every interval (15 minutes by default) an
// incremental sync of every selected repository, which catches whatever webhooks missed. The
// runs are one job shared by every server on the store (store::Coordination): each second a
// server whose job is due tries to claim it, one wins and runs it, renewing its lease as it goes,
// and a run of a killed server is taken over once its lease ends. Every server reports the
// shared job's state, once a second, for /metrics and the status API. Stop() waits for a run in
// progress. Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "common/time.h"
#include "config/paths.h"
#include "store/tables/coordination.h"

namespace leadline::app {

struct ReconcileRun {
  common::UnixSeconds started_at = 0;
  common::UnixSeconds finished_at = 0;
  common::Status status;  // the first repository's failure, if any
  bool changed = false;   // some repository had something new
};

class Reconciler {
 public:
  // One run; it calls `renew` between repositories, to keep its claim.
  using SyncAll = std::function<ReconcileRun(const std::function<void()>& renew)>;
  // `owner` names this server in the job's claim, held `lease` seconds at a time. `done` is told
  // of each run this server made; `observe` of the shared job (when someone last ran it, and the
  // seconds since the last good run, or since this server started when none was), once a second.
  Reconciler(config::Paths paths, std::string owner, common::Seconds interval,
             common::Seconds lease, SyncAll sync, std::function<void(const ReconcileRun&)> done,
             std::function<void(const store::JobState&, common::Seconds lag)> observe);
  ~Reconciler();  // Stop()

  void Start();  // the first run comes one interval after the start
  void Stop();

  static constexpr const char* kJobName = "reconcile";

 private:
  void Run();

  const config::Paths paths_;
  const std::string owner_;
  const common::Seconds interval_;
  const common::Seconds lease_;
  const SyncAll sync_;
  const std::function<void(const ReconcileRun&)> done_;
  const std::function<void(const store::JobState&, common::Seconds)> observe_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace leadline::app
