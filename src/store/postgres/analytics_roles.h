// Read-only PostgreSQL roles for direct BI access (docs/bi.md, `leadline bi grant`): a role that
// may read the analytics tables (schema leadline_analytics) and sees only its projects' rows,
// through the row-level security policies of PostgreSQL migration 13 that read
// leadline_analytics.bi_roles. The role is made NOSUPERUSER NOCREATEROLE NOBYPASSRLS, is granted
// USAGE on the schema and SELECT on its row tables and `refreshes`, and nothing else; a role with
// rows in bi_roles is one Leadline made, and only such a role is updated or dropped here.
// Passwords reach the server only as a SCRAM-SHA-256 verifier computed by libpq, never in the
// statement's text. Each call is one transaction on `db`; not thread-safe, like the connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/pg_connection.h"

namespace leadline::store::postgres {

struct AnalyticsRole {
  std::string name;
  std::vector<std::string> projects;  // sorted, distinct
  bool can_log_in = false;
};

// A role name Leadline makes: 1 to 63 of a-z, 0-9 and `_`, starting with a letter, not `pg_`
// (PostgreSQL's own). InvalidArgument saying so otherwise.
Status CheckAnalyticsRoleName(std::string_view name);

// Creates the role (NOLOGIN, or LOGIN with `password`) or updates one Leadline made: its projects
// become `projects` (at least one), and its password `password` when given. A role of that name
// that Leadline did not make is refused (FailedPrecondition); the store's own role needs
// CREATEROLE.
Status GrantAnalyticsRole(PgConnection& db, const std::string& name,
                          const std::vector<std::string>& projects,
                          const std::optional<std::string>& password);
// Revokes what the role was granted, forgets its projects and drops it. NotFound when Leadline
// made no role of that name.
Status RevokeAnalyticsRole(PgConnection& db, const std::string& name);
// The roles Leadline made, by name.
Result<std::vector<AnalyticsRole>> ListAnalyticsRoles(PgConnection& db);

}  // namespace leadline::store::postgres
