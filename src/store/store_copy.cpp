#include "store/store_copy.h"

#include <filesystem>
#include <variant>

#include "store/open_connection.h"
#include "store/sql/batch_insert.h"
#include "store/sql/migrator.h"

namespace leadline::store {

using common::Result;
using common::Status;
using sql::Connection;

namespace {

// Every table of the schema, each after the tables it refers to; not the request budgets
// (request_budget_rows.h): an hour's counts, which the new store starts afresh; nor people's
// sessions and sign-ins under way: people sign in again on the new store; nor the servers' claims
// on webhook deliveries: the new store's servers claim its waiting deliveries afresh.
constexpr const char* kTables[] = {"connections",
                                   "repositories",
                                   "commits",
                                   "refs",
                                   "deployments",
                                   "deployment_changes",
                                   "pull_requests",
                                   "sync_cursors",
                                   "pipelines",
                                   "environments",
                                   "platform_deployments",
                                   "pull_request_activity",
                                   "incidents",
                                   "projects",
                                   "project_repositories",
                                   "api_tokens",
                                   "audit_log",
                                   "audit_refusals",
                                   "webhook_inbox",
                                   "webhook_bodies",
                                   "webhook_pending",
                                   "webhook_newest_applied",
                                   "jobs",
                                   "incident_services",
                                   "incident_connections",
                                   "feedback_repositories",
                                   "feedback_outbox",
                                   "change_event_services",
                                   "change_events",
                                   "looker_connection"};

// Tables whose ids PostgreSQL hands out: after copying ids, its counter moves past them.
constexpr const char* kTablesWithIds[] = {"connections",   "repositories",    "deployments",
                                          "projects",      "api_tokens",      "audit_log",
                                          "webhook_inbox", "feedback_outbox", "change_events"};

constexpr std::int64_t kRowsPerTransaction = 1000;

struct Column {
  std::string name;
  bool integer = false;  // read and written as a number: ids, counts, times, flags
};

Result<std::vector<Column>> Columns(Connection& db, const std::string& table) {
  std::vector<Column> columns;
  if (db.engine() == sql::Engine::kPostgres) {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt, db.Prepare("SELECT column_name, data_type FROM information_schema.columns "
                              "WHERE table_schema = current_schema() AND table_name = ? "
                              "ORDER BY ordinal_position"));
    stmt.Bind(1, table);
    for (;;) {
      LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      const std::string_view type = stmt.ColumnText(1);
      columns.push_back({std::string(stmt.ColumnText(0)),
                         type == "bigint" || type == "integer" || type == "smallint" ||
                             type == "boolean" || type.starts_with("timestamp")});
    }
  } else {
    // The table names are this file's constants, never input.
    LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.Prepare("PRAGMA table_info('" + table + "')"));
    for (;;) {
      LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      columns.push_back({std::string(stmt.ColumnText(1)),
                         stmt.ColumnText(2).find("INT") != std::string_view::npos});
    }
  }
  if (columns.empty()) return Status::DatabaseError("the store has no table '" + table + "'");
  return columns;
}

std::string SelectAll(const std::string& table, const std::vector<Column>& columns) {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i].name;
  return sql + " FROM " + table;
}

// FNV-1a over one value, as the same bytes on every engine.
void Mix(std::uint64_t& hash, std::string_view bytes) {
  for (const unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
}

struct Summary {
  std::int64_t rows = 0;
  std::uint64_t checksum = 0;
};

// Row count and the sum of every row's hash: equal stores give equal sums whatever the order.
Result<Summary> Summarise(Connection& db, const std::string& table,
                          const std::vector<Column>& columns) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.Prepare(SelectAll(table, columns)));
  Summary summary;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    std::uint64_t hash = 14695981039346656037ULL;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const int at = static_cast<int>(i);
      if (stmt.ColumnIsNull(at)) {
        Mix(hash, "\xff");
      } else if (columns[i].integer) {
        Mix(hash, "i" + std::to_string(stmt.ColumnInt(at)) + ";");
      } else {
        const std::string_view text = stmt.ColumnText(at);
        Mix(hash, "t" + std::to_string(text.size()) + ":");
        Mix(hash, text);
      }
    }
    ++summary.rows;
    summary.checksum += hash;
  }
  return summary;
}

using Value = std::variant<std::monostate, std::int64_t, std::string>;

// Writes `rows` (of `columns` values each) into `table`, keeping what is already there.
Result<std::int64_t> WriteRows(Connection& db, const std::string& table,
                               const std::vector<Column>& columns,
                               const std::vector<std::vector<Value>>& rows) {
  std::string head = "INSERT INTO " + table + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) head += (i ? ", " : "") + columns[i].name;
  head += ") VALUES";
  return sql::InsertInBatches(db, head, static_cast<int>(columns.size()), "ON CONFLICT DO NOTHING",
                              rows,
                              [](sql::Statement& insert, const std::vector<Value>& row, int at) {
                                for (const Value& value : row) {
                                  if (const auto* number = std::get_if<std::int64_t>(&value)) {
                                    insert.Bind(at, *number);
                                  } else if (const auto* text = std::get_if<std::string>(&value)) {
                                    insert.Bind(at, std::string_view(*text));
                                  } else {
                                    insert.BindNull(at);
                                  }
                                  ++at;
                                }
                              });
}

Result<std::int64_t> CopyRows(Connection& from, Connection& to, const std::string& table,
                              const std::vector<Column>& columns) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, from.Prepare(SelectAll(table, columns)));
  std::int64_t written = 0;
  std::vector<std::vector<Value>> rows;
  const auto flush = [&]() -> Status {
    if (rows.empty()) return Status::Ok();
    LEADLINE_RETURN_IF_ERROR(to.Begin());
    Result<std::int64_t> wrote = WriteRows(to, table, columns, rows);
    if (!wrote.ok()) {
      to.Rollback();
      return wrote.status().WithContext("copying " + table);
    }
    LEADLINE_RETURN_IF_ERROR(to.Commit());
    written += *wrote;
    rows.clear();
    return Status::Ok();
  };
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    std::vector<Value>& values = rows.emplace_back();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const int at = static_cast<int>(i);
      if (stmt.ColumnIsNull(at)) {
        values.emplace_back();
      } else if (columns[i].integer) {
        values.emplace_back(stmt.ColumnInt(at));
      } else {
        values.emplace_back(std::string(stmt.ColumnText(at)));
      }
    }
    if (static_cast<std::int64_t>(rows.size()) == kRowsPerTransaction) {
      LEADLINE_RETURN_IF_ERROR(flush());
    }
  }
  LEADLINE_RETURN_IF_ERROR(flush());
  return written;
}

Status MoveIdCounters(Connection& to) {
  if (to.engine() != sql::Engine::kPostgres) return Status::Ok();
  for (const std::string table : kTablesWithIds) {
    LEADLINE_RETURN_IF_ERROR(to.Exec("SELECT setval(pg_get_serial_sequence('" + table +
                                     "', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM " + table));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<TableCopy>> CopyStore(const std::string& from, const std::string& to,
                                         const std::function<void(const TableCopy&)>& progress) {
  LEADLINE_ASSIGN_OR_RETURN(const StoreUrl source_url, ParseStoreUrl(from));
  LEADLINE_ASSIGN_OR_RETURN(const StoreUrl destination_url, ParseStoreUrl(to));
  if (source_url.target == destination_url.target) {
    return Status::InvalidArgument("--from and --to name the same store");
  }
  if (source_url.engine == sql::Engine::kSqlite && !std::filesystem::exists(source_url.target)) {
    return Status::NotFound("there is no store " + source_url.display + " to copy");
  }
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<Connection> source, OpenConnection(source_url));
  LEADLINE_ASSIGN_OR_RETURN(const int version, sql::SchemaVersion(*source));
  const auto source_migrations = MigrationsFor(source_url.engine);
  if (version != source_migrations.back().version) {
    return Status::FailedPrecondition("the store " + source_url.display + " has schema version " +
                                      std::to_string(version) + ", not this Leadline's " +
                                      std::to_string(source_migrations.back().version) +
                                      ": run `leadline migrate` on it first");
  }
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<Connection> destination,
                            OpenConnection(destination_url));
  LEADLINE_RETURN_IF_ERROR(
      sql::Migrate(*destination, MigrationsFor(destination_url.engine), destination_url.display)
          .status());

  std::vector<TableCopy> copies;
  for (const std::string table : kTables) {
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<Column> columns, Columns(*source, table));
    TableCopy copy;
    copy.table = table;
    LEADLINE_ASSIGN_OR_RETURN(const Summary before, Summarise(*source, table, columns));
    copy.source_rows = before.rows;
    copy.source_checksum = before.checksum;
    LEADLINE_ASSIGN_OR_RETURN(Summary after, Summarise(*destination, table, columns));
    if (after.rows != before.rows || after.checksum != before.checksum) {
      LEADLINE_ASSIGN_OR_RETURN(copy.copied_rows, CopyRows(*source, *destination, table, columns));
      LEADLINE_ASSIGN_OR_RETURN(after, Summarise(*destination, table, columns));
    }
    copy.destination_rows = after.rows;
    copy.destination_checksum = after.checksum;
    if (progress) progress(copy);
    copies.push_back(std::move(copy));
  }
  LEADLINE_RETURN_IF_ERROR(MoveIdCounters(*destination));
  return copies;
}

}  // namespace leadline::store
