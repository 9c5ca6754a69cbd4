// One statement that claims outbox rows for a lease, each engine's way, for the outboxes that
// hand rows to one sender at a time across processes (feedback posts, change events). Stateless;
// runs on the caller's connection, from its thread.
#pragma once

#include <cstdint>
#include <string>

#include "store/sql/connection.h"

namespace leadline::store::sql {

// Sets `claimed_by` = `owner` and `claimed_until` = `until` on the rows of `table` whose ids
// `free_ids` selects (a SELECT of `id` whose parameters are ?1 the owner, ?3 now and ?4 the
// limit). On PostgreSQL rows another transaction holds are skipped (FOR UPDATE SKIP LOCKED), so
// two servers never claim one row; SQLite's single writer needs no more. The outboxes' `free_ids`
// also select the owner's own rows whatever their lease: a server started again under its slot's
// name (app/server_slot.h) takes back at once what it left claimed when it was killed.
inline common::Status ClaimLeases(Connection& db, const std::string& table,
                                  const std::string& free_ids, const std::string& owner,
                                  std::int64_t now, std::int64_t until, std::int64_t limit) {
  const std::string sql =
      db.engine() == Engine::kPostgres
          ? "WITH free AS (" + free_ids + " FOR UPDATE SKIP LOCKED) UPDATE " + table +
                " SET claimed_by = ?1, claimed_until = ?2 FROM free WHERE " + table +
                ".id = free.id"
          : "UPDATE " + table + " SET claimed_by = ?1, claimed_until = ?2 WHERE id IN (" +
                free_ids + ")";
  LEADLINE_ASSIGN_OR_RETURN(auto claim, db.PrepareCached(sql));
  claim.Bind(1, owner).Bind(2, until).Bind(3, now).Bind(4, limit);
  return claim.Run();
}

}  // namespace leadline::store::sql
