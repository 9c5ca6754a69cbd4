// The SQL of store::Coordination (store/coordination.h) over a connection, written once for
// every engine: recurring jobs' rows, repository locks (PostgreSQL advisory locks; an in-process
// lock table on SQLite, whose processes rarely share a file) and notices (PostgreSQL NOTIFY).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/sql/connection.h"
#include "store/tables/coordination.h"

namespace leadline::store::sql {

// The channel every notice goes out on.
inline constexpr std::string_view kNoticeChannel = "leadline";

Result<bool> ClaimDueJob(Connection& db, const std::string& name, const std::string& owner,
                         common::UnixSeconds now, common::UnixSeconds until,
                         common::UnixSeconds first_due_at);
Result<bool> RenewJob(Connection& db, const std::string& name, const std::string& owner,
                      common::UnixSeconds until);
Status FinishJob(Connection& db, const std::string& name, const std::string& owner,
                 common::UnixSeconds started_at, common::UnixSeconds finished_at,
                 const Status& outcome, common::UnixSeconds next_due_at);
Result<std::optional<JobState>> LoadJob(Connection& db, const std::string& name);

// `scope` tells SQLite stores apart inside one process (their file's path).
Status LockRepository(Connection& db, const std::string& scope, std::int64_t repo_id);
Status UnlockRepository(Connection& db, const std::string& scope, std::int64_t repo_id);

Status Announce(Connection& db, std::string_view topic);

}  // namespace leadline::store::sql
