#include "store/store.h"

#include "store/migrations.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_store.h"
#include "store/sql/migrator.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store_url.h"

namespace leadline::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  LEADLINE_ASSIGN_OR_RETURN(const StoreUrl parsed, ParseStoreUrl(url));
  if (parsed.engine == sql::Engine::kPostgres) return postgres::OpenPostgresStore(parsed);
  return sqlite::OpenSqliteStore(parsed.target);
}

Result<std::vector<AppliedMigration>> MigrateStore(const std::string& url) {
  LEADLINE_ASSIGN_OR_RETURN(const StoreUrl parsed, ParseStoreUrl(url));
  std::unique_ptr<sql::Connection> db;
  std::span<const Migration> migrations;
  if (parsed.engine == sql::Engine::kPostgres) {
    LEADLINE_ASSIGN_OR_RETURN(db, postgres::PgConnection::Open(parsed.target, parsed.display));
    migrations = PostgresMigrations();
  } else {
    LEADLINE_ASSIGN_OR_RETURN(db, sqlite::Database::Open(parsed.target));
    migrations = SqliteMigrations();
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<Migration> applied,
                            sql::Migrate(*db, migrations, parsed.display));
  std::vector<AppliedMigration> out;
  for (const Migration& migration : applied) {
    out.push_back({migration.version, std::string(migration.description)});
  }
  return out;
}

}  // namespace leadline::store
