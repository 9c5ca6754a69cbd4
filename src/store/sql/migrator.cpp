#include "store/sql/migrator.h"

namespace leadline::store::sql {
namespace {

std::string_view CreateMigrationsTable(Engine engine) {
  return engine == Engine::kPostgres
             ? "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
               "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
             : "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
               "description TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)";
}

// Servers starting together on one PostgreSQL database queue here; SQLite's BEGIN IMMEDIATE is
// already the one writer's lock. The number is Leadline's own: "lead" in ASCII.
constexpr std::string_view kTakeMigrationLock = "SELECT pg_advisory_xact_lock(1818583396)";

Status NewerThanKnown(const std::string& where, int current, int known) {
  return Status::FailedPrecondition("the store " + where + " has schema version " +
                                    std::to_string(current) + ", newer than this Leadline knows (" +
                                    std::to_string(known) +
                                    "): upgrade Leadline, or use another store");
}

Result<bool> MigrationsTableExists(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(db.engine() == Engine::kPostgres
                                ? "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = "
                                  "'schema_migrations' AND schemaname = current_schema()"
                                : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                                  "name = 'schema_migrations'"));
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  return row && stmt.ColumnInt(0) > 0;
}

// Inside a transaction holding the lock: applies `migration` unless it already is; true when it
// applied it.
Result<bool> ApplyOne(Connection& db, const Migration& migration, int known,
                      const std::string& where) {
  if (db.engine() == Engine::kPostgres) LEADLINE_RETURN_IF_ERROR(db.Exec(kTakeMigrationLock));
  LEADLINE_RETURN_IF_ERROR(db.Exec(CreateMigrationsTable(db.engine())));
  LEADLINE_ASSIGN_OR_RETURN(const int current, SchemaVersion(db));
  if (current > known) return NewerThanKnown(where, current, known);
  if (migration.version <= current) return false;
  LEADLINE_RETURN_IF_ERROR(db.Exec(migration.sql));
  LEADLINE_ASSIGN_OR_RETURN(
      auto insert,
      db.Prepare("INSERT INTO schema_migrations (version, description) VALUES (?, ?)"));
  LEADLINE_RETURN_IF_ERROR(
      insert.Bind(1, std::int64_t{migration.version}).Bind(2, migration.description).Run());
  return true;
}

// SQLite, after a migration ran with foreign keys off: every reference must still resolve.
Status CheckForeignKeys(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(auto check, db.Prepare("PRAGMA foreign_key_check"));
  LEADLINE_ASSIGN_OR_RETURN(const bool broken, check.Step());
  if (!broken) return Status::Ok();
  return Status::DatabaseError("a row of table " + std::string(check.ColumnText(0)) +
                               " refers to a row that is missing after the migration");
}

}  // namespace

Result<int> SchemaVersion(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(const bool exists, MigrationsTableExists(db));
  if (!exists) return 0;
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  return row ? static_cast<int>(stmt.ColumnInt(0)) : 0;
}

Result<std::vector<Migration>> Migrate(Connection& db, std::span<const Migration> migrations,
                                       const std::string& where) {
  const int known = migrations.empty() ? 0 : migrations.back().version;
  // Nothing to do (the common case) costs one read, no write lock.
  LEADLINE_ASSIGN_OR_RETURN(const int current, SchemaVersion(db));
  if (current == known) return std::vector<Migration>();
  if (current > known) return NewerThanKnown(where, current, known);
  std::vector<Migration> applied;
  for (const Migration& migration : migrations) {
    if (migration.version <= current) continue;
    const bool foreign_keys_off = migration.without_foreign_keys && db.engine() == Engine::kSqlite;
    // SQLite ignores this pragma inside a transaction: it goes before BEGIN.
    if (foreign_keys_off) LEADLINE_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=OFF"));
    LEADLINE_RETURN_IF_ERROR(db.Begin());
    Result<bool> done = ApplyOne(db, migration, known, where);
    if (done.ok() && *done && foreign_keys_off) {
      const Status keys = CheckForeignKeys(db);
      if (!keys.ok()) done = keys;
    }
    if (!done.ok()) {
      db.Rollback();
      if (foreign_keys_off) (void)db.Exec("PRAGMA foreign_keys=ON");
      if (done.status().code() == common::StatusCode::kFailedPrecondition) return done.status();
      return done.status().WithContext("migration " + std::to_string(migration.version) +
                                       " failed");
    }
    const Status committed = db.Commit();
    if (foreign_keys_off) LEADLINE_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=ON"));
    LEADLINE_RETURN_IF_ERROR(committed);
    if (*done) applied.push_back(migration);
  }
  return applied;
}

}  // namespace leadline::store::sql
