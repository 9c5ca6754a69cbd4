// Keeps the audit log cheap to write and bounded, on a thread of its own with its own store
// connection:
//  - Once a second it writes the refusal counts gathered in memory (api/refusal_counts.h), all
//    in one transaction. Counting refusals in memory and writing them once a second, rather than
//    a row and a commit per refused request, is what keeps a flood of unauthenticated requests
//    cheap: request threads pay a map update, the disk one commit a second. The price is that a
//    crash loses at most the last second's counts; never an entry of a call made with a valid
//    identity, which is written before its answer. Stop() writes what is left, so a clean
//    shutdown loses nothing.
//  - A second after Start(), and then once an hour, it deletes the audit entries and refusal
//    counts older than the retention, in short transactions (Store::PruneAudit).
// Start() once. Stop() may be called again, from one thread at a time (it then writes what was
// counted since); Add to the counts from any thread.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "api/refusal_counts.h"
#include "common/time.h"
#include "config/paths.h"
#include "store/store.h"

namespace leadline::app {

class AuditKeeper {
 public:
  AuditKeeper(config::Paths paths, api::RefusalCounts& counts, common::Seconds retention);
  ~AuditKeeper();  // Stop()

  void Start();
  void Stop();

 private:
  void Run();
  bool OpenStore();  // false, said on stderr, when the store cannot be opened
  void Write();
  void Prune();

  const config::Paths paths_;
  api::RefusalCounts& counts_;
  const common::Seconds retention_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  // Used by the thread, and after it ended by Stop().
  std::unique_ptr<store::Store> store_;
  common::UnixSeconds pruned_at_ = 0;
};

}  // namespace leadline::app
