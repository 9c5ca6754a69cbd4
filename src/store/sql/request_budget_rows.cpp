#include "store/sql/request_budget_rows.h"

#include <algorithm>
#include <string>

namespace leadline::store::sql {
namespace {

using common::UnixSeconds;

constexpr UnixSeconds kMinute = 60;
// The window: the current minute and the 61 before it (see the header).
constexpr UnixSeconds kWindowMinutes = 62;
constexpr std::int64_t kMostPerHour = 10'000'000;
constexpr UnixSeconds kLongestHold = 10 * kMinute;

UnixSeconds MinuteOf(UnixSeconds at) { return at - at % kMinute; }

Status CheckAsk(const RequestAsk& ask) {
  const auto refuse = [](const std::string& why) {
    return Status::InvalidArgument("a request budget reservation " + why);
  };
  if (ask.connection_id <= 0) return refuse("needs a connection id");
  if (ask.per_hour < 1 || ask.per_hour > kMostPerHour) {
    return refuse("needs an allowance of 1 to " + std::to_string(kMostPerHour) +
                  " requests an hour, not " + std::to_string(ask.per_hour));
  }
  if (ask.count < 1 || ask.count > ask.per_hour) {
    return refuse("asks for 1 to " + std::to_string(ask.per_hour) + " requests, not " +
                  std::to_string(ask.count));
  }
  if (ask.now <= 0) return refuse("needs the current time");
  if (ask.send_by < ask.now || ask.send_by > ask.now + kLongestHold) {
    return refuse("must be sent within " + std::to_string(kLongestHold) +
                  " s of being reserved, not " + std::to_string(ask.send_by - ask.now) + " s");
  }
  return Status::Ok();
}

// The first minute of the window at `now`.
UnixSeconds WindowStart(UnixSeconds now) { return MinuteOf(now) - (kWindowMinutes - 1) * kMinute; }

// Not granted, `reserved` being the count seen: asking again may succeed once the last minute
// kept below the count the ask needs gone has left the window.
Result<RequestGrant> Refusal(Connection& db, const RequestAsk& ask, std::int64_t reserved) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.PrepareCached("SELECT MAX(minute) FROM request_budget_minutes WHERE connection_id = ? "
                       "AND minute >= ? AND reserved_before < ?"));
  stmt.Bind(1, ask.connection_id)
      .Bind(2, WindowStart(ask.now))
      .Bind(3, reserved + ask.count - ask.per_hour);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  // None such (a count seen before another process's reservation): the next minute.
  const UnixSeconds retry_at = row && !stmt.ColumnIsNull(0)
                                   ? stmt.ColumnInt(0) + kWindowMinutes * kMinute
                                   : MinuteOf(ask.now) + kMinute;
  return RequestGrant{false, std::max(retry_at, ask.now + 1)};
}

Status MakeBudgetRow(Connection& db, std::int64_t connection_id) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.PrepareCached("INSERT INTO request_budgets (connection_id, reserved) VALUES "
                                  "(?, 0) ON CONFLICT (connection_id) DO NOTHING"));
  return stmt.Bind(1, connection_id).Run();
}

Result<RequestGrant> ReservePostgres(Connection& db, const RequestAsk& ask) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt,
        db.PrepareCached(
            // The count and the window's lowest, as of the statement's snapshot.
            "WITH seen AS (SELECT b.reserved, COALESCE((SELECT MIN(m.reserved_before) FROM "
            "request_budget_minutes m WHERE m.connection_id = b.connection_id AND m.minute >= ?), "
            "b.reserved) AS lowest FROM request_budgets b WHERE b.connection_id = ?), "
            // The limit checked against the row as the last reservation left it.
            "taken AS (UPDATE request_budgets b SET reserved = b.reserved + ? FROM seen WHERE "
            "b.connection_id = ? AND b.reserved + ? - seen.lowest <= ? RETURNING "
            "b.connection_id, b.reserved), "
            // A minute's first reservation keeps the count before it. (The cast: a parameter
            // of a SELECT list would be read as text.)
            "kept AS (INSERT INTO request_budget_minutes (connection_id, minute, "
            "reserved_before) SELECT connection_id, CAST(? AS timestamptz), reserved - ? FROM "
            "taken ON CONFLICT (connection_id, minute) DO NOTHING), "
            "pruned AS (DELETE FROM request_budget_minutes WHERE connection_id = ? AND minute < "
            "? AND EXISTS (SELECT 1 FROM taken)) "
            "SELECT (SELECT COUNT(*) FROM taken), reserved FROM seen"));
    const UnixSeconds window_start = WindowStart(ask.now);
    stmt.Bind(1, window_start)
        .Bind(2, ask.connection_id)
        .Bind(3, ask.count)
        .Bind(4, ask.connection_id)
        .Bind(5, ask.count)
        .Bind(6, ask.per_hour)
        .Bind(7, MinuteOf(ask.send_by))
        .Bind(8, ask.count)
        .Bind(9, ask.connection_id)
        .Bind(10, window_start);
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) {  // the connection's first reservation: its row first
      stmt.Reset();
      LEADLINE_RETURN_IF_ERROR(MakeBudgetRow(db, ask.connection_id));
      continue;
    }
    const bool granted = stmt.ColumnInt(0) > 0;
    const std::int64_t reserved = stmt.ColumnInt(1);
    stmt.Reset();
    if (granted) return RequestGrant{true, 0};
    return Refusal(db, ask, reserved);
  }
  return Status::DatabaseError("the request budget of connection " +
                               std::to_string(ask.connection_id) + " has no row after making it");
}

// Inside a transaction that holds SQLite's write lock.
Result<RequestGrant> ReserveLocked(Connection& db, const RequestAsk& ask) {
  LEADLINE_RETURN_IF_ERROR(MakeBudgetRow(db, ask.connection_id));
  LEADLINE_ASSIGN_OR_RETURN(
      auto seen,
      db.PrepareCached("SELECT reserved, COALESCE((SELECT MIN(reserved_before) FROM "
                       "request_budget_minutes WHERE connection_id = ? AND minute >= ?), "
                       "reserved) FROM request_budgets WHERE connection_id = ?"));
  const UnixSeconds window_start = WindowStart(ask.now);
  seen.Bind(1, ask.connection_id).Bind(2, window_start).Bind(3, ask.connection_id);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, seen.Step());
  if (!row) return Status::DatabaseError("the request budget's row is missing after making it");
  const std::int64_t reserved = seen.ColumnInt(0);
  const std::int64_t lowest = seen.ColumnInt(1);
  seen.Reset();
  if (reserved + ask.count - lowest > ask.per_hour) return Refusal(db, ask, reserved);

  LEADLINE_ASSIGN_OR_RETURN(
      auto take, db.PrepareCached(
                     "UPDATE request_budgets SET reserved = reserved + ? WHERE connection_id = ?"));
  LEADLINE_RETURN_IF_ERROR(take.Bind(1, ask.count).Bind(2, ask.connection_id).Run());
  LEADLINE_ASSIGN_OR_RETURN(
      auto keep, db.PrepareCached("INSERT INTO request_budget_minutes (connection_id, minute, "
                                  "reserved_before) VALUES (?, ?, ?) ON CONFLICT (connection_id, "
                                  "minute) DO NOTHING"));
  LEADLINE_RETURN_IF_ERROR(
      keep.Bind(1, ask.connection_id).Bind(2, MinuteOf(ask.send_by)).Bind(3, reserved).Run());
  LEADLINE_ASSIGN_OR_RETURN(
      auto prune, db.PrepareCached("DELETE FROM request_budget_minutes WHERE connection_id = ? "
                                   "AND minute < ?"));
  LEADLINE_RETURN_IF_ERROR(prune.Bind(1, ask.connection_id).Bind(2, window_start).Run());
  return RequestGrant{true, 0};
}

}  // namespace

Result<RequestGrant> ReserveRequests(Connection& db, const RequestAsk& ask) {
  LEADLINE_RETURN_IF_ERROR(CheckAsk(ask));
  if (db.engine() == Engine::kPostgres) return ReservePostgres(db, ask);
  if (db.InTransaction()) return ReserveLocked(db, ask);
  LEADLINE_RETURN_IF_ERROR(db.Begin());
  Result<RequestGrant> grant = ReserveLocked(db, ask);
  if (!grant.ok()) {
    db.Rollback();
    return grant;
  }
  LEADLINE_RETURN_IF_ERROR(db.Commit());
  return grant;
}

}  // namespace leadline::store::sql
