#include "store/postgres/analytics_roles.h"

#include <libpq-fe.h>

#include <algorithm>
#include <map>

#include "store/tables/analytics.h"

namespace leadline::store::postgres {
namespace {

// Every name is checked by CheckAnalyticsRoleName first; quoting still makes it one identifier.
std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// What a BI role may read: the row tables, the refreshes (a BI cache's trigger) and its own rows
// of bi_roles (which the row tables' policies read as the querying role).
std::string ReadableTables() {
  std::string out;
  for (const AnalyticsTable& table : AnalyticsTables()) {
    out += AnalyticsSqlName(table, /*postgres=*/true) + ", ";
  }
  return out + "leadline_analytics.refreshes, leadline_analytics.bi_roles";
}

// The SCRAM-SHA-256 verifier of `password` for `role`, as an SQL literal: what the server keeps,
// so that the password itself is in no statement (and no server log).
Result<std::string> PasswordLiteral(PgConnection& db, const std::string& role,
                                    const std::string& password) {
  char* verifier = PQencryptPasswordConn(db.raw(), password.c_str(), role.c_str(), "scram-sha-256");
  if (verifier == nullptr) return db.Failure("making the password's verifier");
  char* literal = PQescapeLiteral(db.raw(), verifier, std::char_traits<char>::length(verifier));
  PQfreemem(verifier);
  if (literal == nullptr) return db.Failure("quoting the password's verifier");
  std::string out = literal;
  PQfreemem(literal);
  return out;
}

struct ExistingRole {
  bool exists = false;
  bool ours = false;        // has rows in bi_roles
  bool privileged = false;  // SUPERUSER, BYPASSRLS, CREATEROLE or REPLICATION, given by hand
};

Result<ExistingRole> FindRole(PgConnection& db, const std::string& name) {
  ExistingRole found;
  LEADLINE_ASSIGN_OR_RETURN(
      auto role, db.Prepare("SELECT rolsuper OR rolbypassrls OR rolcreaterole OR rolreplication "
                            "FROM pg_catalog.pg_roles WHERE rolname = ?"));
  role.Bind(1, std::string_view(name));
  LEADLINE_ASSIGN_OR_RETURN(found.exists, role.Step());
  found.privileged = found.exists && role.ColumnInt(0) != 0;
  LEADLINE_ASSIGN_OR_RETURN(
      auto ours, db.Prepare("SELECT 1 FROM leadline_analytics.bi_roles WHERE role_name = ?"));
  ours.Bind(1, std::string_view(name));
  LEADLINE_ASSIGN_OR_RETURN(found.ours, ours.Step());
  return found;
}

// Runs `work` in a transaction of its own, rolled back when it fails.
template <typename Work>
Status InTransaction(PgConnection& db, Work&& work) {
  LEADLINE_RETURN_IF_ERROR(db.Begin());
  if (Status status = work(); !status.ok()) {
    db.Rollback();
    return status;
  }
  return db.Commit();
}

}  // namespace

Status CheckAnalyticsRoleName(std::string_view name) {
  const bool shaped = !name.empty() && name.size() <= 63 && name[0] >= 'a' && name[0] <= 'z' &&
                      std::all_of(name.begin(), name.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                      });
  if (!shaped || name.starts_with("pg_")) {
    return Status::InvalidArgument("role name '" + std::string(name.substr(0, 80)) +
                                   "': use 1 to 63 of a-z, 0-9 and '_', starting with a letter "
                                   "(and not 'pg_')");
  }
  return Status::Ok();
}

Status GrantAnalyticsRole(PgConnection& db, const std::string& name,
                          const std::vector<std::string>& projects,
                          const std::optional<std::string>& password) {
  LEADLINE_RETURN_IF_ERROR(CheckAnalyticsRoleName(name));
  if (projects.empty()) return Status::InvalidArgument("a BI role needs at least one project");
  std::optional<std::string> password_literal;
  if (password) {
    LEADLINE_ASSIGN_OR_RETURN(password_literal, PasswordLiteral(db, name, *password));
  }
  const std::string role = QuoteIdentifier(name);
  return InTransaction(db, [&]() -> Status {
    LEADLINE_ASSIGN_OR_RETURN(const ExistingRole existing, FindRole(db, name));
    if (existing.exists && !existing.ours) {
      return Status::FailedPrecondition("the PostgreSQL role '" + name +
                                        "' exists and is not one `leadline bi grant` made: choose "
                                        "another name");
    }
    if (existing.privileged) {
      return Status::FailedPrecondition(
          "the role '" + name +
          "' was given SUPERUSER, BYPASSRLS, CREATEROLE or REPLICATION since `leadline bi grant` "
          "made it: it would see every row; revoke that first");
    }
    if (!existing.exists) {
      const Status created = db.Exec("CREATE ROLE " + role +
                                     " NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT "
                                     "NOREPLICATION NOBYPASSRLS");
      if (!created.ok()) {
        return created.WithContext("creating the role '" + name +
                                   "' (the store's role needs CREATEROLE)");
      }
    }
    if (password_literal) {
      LEADLINE_RETURN_IF_ERROR(
          db.Exec("ALTER ROLE " + role + " LOGIN PASSWORD " + *password_literal));
    }
    LEADLINE_RETURN_IF_ERROR(db.Exec("GRANT USAGE ON SCHEMA leadline_analytics TO " + role));
    LEADLINE_RETURN_IF_ERROR(db.Exec("GRANT SELECT ON " + ReadableTables() + " TO " + role));
    LEADLINE_ASSIGN_OR_RETURN(
        auto forget, db.Prepare("DELETE FROM leadline_analytics.bi_roles WHERE role_name = ?"));
    LEADLINE_RETURN_IF_ERROR(forget.Bind(1, std::string_view(name)).Run());
    LEADLINE_ASSIGN_OR_RETURN(
        auto insert,
        db.Prepare("INSERT INTO leadline_analytics.bi_roles (role_name, project_key) VALUES (?, ?) "
                   "ON CONFLICT DO NOTHING"));
    for (const std::string& project : projects) {
      LEADLINE_RETURN_IF_ERROR(
          insert.Bind(1, std::string_view(name)).Bind(2, std::string_view(project)).Run());
    }
    return Status::Ok();
  });
}

Status RevokeAnalyticsRole(PgConnection& db, const std::string& name) {
  LEADLINE_RETURN_IF_ERROR(CheckAnalyticsRoleName(name));
  const std::string role = QuoteIdentifier(name);
  return InTransaction(db, [&]() -> Status {
    LEADLINE_ASSIGN_OR_RETURN(const ExistingRole existing, FindRole(db, name));
    if (!existing.ours) {
      return Status::NotFound("no BI role '" + name + "' (`leadline bi roles` lists them)");
    }
    LEADLINE_ASSIGN_OR_RETURN(
        auto forget, db.Prepare("DELETE FROM leadline_analytics.bi_roles WHERE role_name = ?"));
    LEADLINE_RETURN_IF_ERROR(forget.Bind(1, std::string_view(name)).Run());
    if (!existing.exists) return Status::Ok();  // dropped by hand already
    LEADLINE_RETURN_IF_ERROR(
        db.Exec("REVOKE ALL ON ALL TABLES IN SCHEMA leadline_analytics FROM " + role));
    LEADLINE_RETURN_IF_ERROR(db.Exec("REVOKE ALL ON SCHEMA leadline_analytics FROM " + role));
    const Status dropped = db.Exec("DROP ROLE " + role);
    if (!dropped.ok()) {
      return dropped.WithContext("dropping the role '" + name +
                                 "' (privileges Leadline did not grant must be revoked first)");
    }
    return Status::Ok();
  });
}

Result<std::vector<AnalyticsRole>> ListAnalyticsRoles(PgConnection& db) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto rows, db.Prepare("SELECT b.role_name, b.project_key, COALESCE(r.rolcanlogin, FALSE) "
                            "FROM leadline_analytics.bi_roles b "
                            "LEFT JOIN pg_catalog.pg_roles r ON r.rolname = b.role_name "
                            "ORDER BY b.role_name, b.project_key"));
  std::vector<AnalyticsRole> roles;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, rows.Step());
    if (!row) break;
    if (roles.empty() || roles.back().name != rows.ColumnText(0)) {
      roles.push_back({.name = std::string(rows.ColumnText(0)),
                       .projects = {},
                       .can_log_in = rows.ColumnInt(2) != 0});
    }
    roles.back().projects.emplace_back(rows.ColumnText(1));
  }
  return roles;
}

}  // namespace leadline::store::postgres
