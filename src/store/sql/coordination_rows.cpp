#include "store/sql/coordination_rows.h"

#include <condition_variable>
#include <mutex>
#include <set>
#include <utility>

namespace leadline::store::sql {
namespace {

// The first key of every repository's advisory lock (the second is the repository's id); the
// migration lock uses the one-key form, so the two never meet.
constexpr std::int64_t kRepositoryLockClass = 0x4c4c5259;  // "LLRY"

// SQLite's repository locks: one table per process, as SQLite has no lock a connection can
// hold across transactions. Processes sharing a SQLite file are a server and an occasional CLI
// sync, which the sync's transactions keep consistent anyway.
class ProcessLocks {
 public:
  void Lock(const std::string& scope, std::int64_t id) {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [&] { return !held_.contains({scope, id}); });
    held_.emplace(scope, id);
  }
  void Unlock(const std::string& scope, std::int64_t id) {
    {
      std::lock_guard lock(mutex_);
      held_.erase({scope, id});
    }
    released_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  std::set<std::pair<std::string, std::int64_t>> held_;
};

ProcessLocks& Locks() {
  static ProcessLocks locks;
  return locks;
}

}  // namespace

Result<bool> ClaimDueJob(Connection& db, const std::string& name, const std::string& owner,
                         common::UnixSeconds now, common::UnixSeconds until,
                         common::UnixSeconds first_due_at) {
  LEADLINE_ASSIGN_OR_RETURN(auto known,
                            db.PrepareCached("INSERT INTO jobs (name, due_at) VALUES (?, ?) ON "
                                             "CONFLICT (name) DO NOTHING"));
  LEADLINE_RETURN_IF_ERROR(known.Bind(1, name).Bind(2, first_due_at).Run());
  // One conditional UPDATE: of two servers claiming together, the second finds the row claimed
  // (PostgreSQL re-reads a row another transaction changed before applying the condition).
  LEADLINE_ASSIGN_OR_RETURN(
      auto claim,
      db.PrepareCached("UPDATE jobs SET claimed_by = ?1, claimed_until = ?2, last_started_at = ?3 "
                       "WHERE name = ?4 AND due_at <= ?3 AND (claimed_until IS NULL OR "
                       "claimed_until < ?3 OR claimed_by = ?1)"));
  LEADLINE_RETURN_IF_ERROR(claim.Bind(1, owner).Bind(2, until).Bind(3, now).Bind(4, name).Run());
  return db.Changes() == 1;
}

Result<bool> RenewJob(Connection& db, const std::string& name, const std::string& owner,
                      common::UnixSeconds until) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.PrepareCached("UPDATE jobs SET claimed_until = ? WHERE name = ? AND claimed_by = ?"));
  LEADLINE_RETURN_IF_ERROR(stmt.Bind(1, until).Bind(2, name).Bind(3, owner).Run());
  return db.Changes() == 1;
}

Status FinishJob(Connection& db, const std::string& name, const std::string& owner,
                 common::UnixSeconds started_at, common::UnixSeconds finished_at,
                 const Status& outcome, common::UnixSeconds next_due_at) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.PrepareCached("UPDATE jobs SET due_at = ?, claimed_by = NULL, claimed_until = NULL, "
                       "last_started_at = ?, last_finished_at = ?, last_ok = ?, last_good_at = "
                       "COALESCE(?, last_good_at), last_error = ? WHERE name = ? AND claimed_by "
                       "= ?"));
  stmt.Bind(1, next_due_at).Bind(2, started_at).Bind(3, finished_at);
  stmt.Bind(4, std::int64_t{outcome.ok() ? 1 : 0});
  stmt.Bind(5, outcome.ok() ? std::optional<std::int64_t>(finished_at) : std::nullopt);
  return stmt.Bind(6, outcome.ok() ? std::string() : outcome.message())
      .Bind(7, name)
      .Bind(8, owner)
      .Run();
}

Result<std::optional<JobState>> LoadJob(Connection& db, const std::string& name) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT due_at, claimed_by, claimed_until, last_started_at, "
                            "last_finished_at, last_ok, last_good_at, last_error FROM jobs WHERE "
                            "name = ?"));
  stmt.Bind(1, name);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return std::optional<JobState>();
  JobState job;
  job.name = name;
  job.due_at = stmt.ColumnInt(0);
  if (!stmt.ColumnIsNull(1)) job.claimed_by = std::string(stmt.ColumnText(1));
  const auto time_at = [&](int column) {
    return stmt.ColumnIsNull(column) ? common::UnixSeconds{0} : stmt.ColumnInt(column);
  };
  job.claimed_until = time_at(2);
  job.last_started_at = time_at(3);
  job.last_finished_at = time_at(4);
  job.last_ok = !stmt.ColumnIsNull(5) && stmt.ColumnInt(5) != 0;
  job.last_good_at = time_at(6);
  job.last_error = std::string(stmt.ColumnText(7));
  return std::optional<JobState>(std::move(job));
}

Status LockRepository(Connection& db, const std::string& scope, std::int64_t repo_id) {
  if (db.engine() != Engine::kPostgres) {
    Locks().Lock(scope, repo_id);
    return Status::Ok();
  }
  // A session lock: held across the sync's transactions, let go when the connection closes.
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.PrepareCached("SELECT pg_advisory_lock(?, ?)"));
  return stmt.Bind(1, kRepositoryLockClass).Bind(2, repo_id).Run();
}

Status UnlockRepository(Connection& db, const std::string& scope, std::int64_t repo_id) {
  if (db.engine() != Engine::kPostgres) {
    Locks().Unlock(scope, repo_id);
    return Status::Ok();
  }
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.PrepareCached("SELECT pg_advisory_unlock(?, ?)"));
  return stmt.Bind(1, kRepositoryLockClass).Bind(2, repo_id).Run();
}

Status Announce(Connection& db, std::string_view topic) {
  if (db.engine() != Engine::kPostgres) return Status::Ok();
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.PrepareCached("SELECT pg_notify(?, ?)"));
  return stmt.Bind(1, kNoticeChannel).Bind(2, topic).Run();
}

}  // namespace leadline::store::sql
