// Coordination between the processes that share one store (several `leadline serve` on one
// PostgreSQL database, or a server and a CLI sync on one SQLite file): recurring jobs that one
// process runs at a time, the lock that keeps two syncs of one repository apart, and notices
// that new data arrived. Claims carry an owner (a process's id) and a lease: work of a process
// that died is taken over once its lease ends. Reached through Store::coordination(), on the
// store's connection; used from one thread at a time, like the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"

namespace leadline::store {

// A recurring job's row: when it is next due, who holds it, how its last run went.
struct JobState {
  std::string name;
  common::UnixSeconds due_at = 0;
  std::string claimed_by;  // empty when nobody runs it
  common::UnixSeconds claimed_until = 0;
  common::UnixSeconds last_started_at = 0;  // 0: never ran
  common::UnixSeconds last_finished_at = 0;
  bool last_ok = false;
  common::UnixSeconds last_good_at = 0;  // when the last successful run finished
  std::string last_error;
};

class Coordination {
 public:
  virtual ~Coordination() = default;

  // Claims the job `name` for `owner` until `until` when it is due at `now` and nobody else
  // holds it (or the holder's lease ended); true when this call won it. A job never seen before
  // is first due at `first_due_at`.
  virtual common::Result<bool> ClaimDueJob(const std::string& name, const std::string& owner,
                                           common::UnixSeconds now, common::UnixSeconds until,
                                           common::UnixSeconds first_due_at) = 0;
  // Extends `owner`'s claim; false when it is no longer theirs.
  virtual common::Result<bool> RenewJob(const std::string& name, const std::string& owner,
                                        common::UnixSeconds until) = 0;
  // Records the run and lets go of the claim: next due at `next_due_at`. Nothing when the claim
  // is no longer `owner`'s (another took the job over).
  virtual common::Status FinishJob(const std::string& name, const std::string& owner,
                                   common::UnixSeconds started_at, common::UnixSeconds finished_at,
                                   const common::Status& outcome,
                                   common::UnixSeconds next_due_at) = 0;
  virtual common::Result<std::optional<JobState>> LoadJob(const std::string& name) = 0;

  // Waits until no other connection syncs the repository, then holds it until
  // UnlockRepository or until this connection closes (a killed process lets go at once).
  virtual common::Status LockRepository(std::int64_t repo_id) = 0;
  virtual common::Status UnlockRepository(std::int64_t repo_id) = 0;

  // Tells every process listening on the store (store/change_listener.h) `topic`; nothing on
  // SQLite, where there is no one to tell.
  virtual common::Status Announce(std::string_view topic) = 0;
};

}  // namespace leadline::store
