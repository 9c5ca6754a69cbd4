#include "store/store.h"

#include "store/change_listener.h"
#include "store/open_connection.h"
#include "store/postgres/pg_listener.h"
#include "store/postgres/postgres_store.h"
#include "store/sql/migrator.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store_url.h"

namespace leadline::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  LEADLINE_ASSIGN_OR_RETURN(const StoreUrl parsed, ParseStoreUrl(url));
  if (parsed.engine == sql::Engine::kPostgres) return postgres::OpenPostgresStore(parsed);
  return sqlite::OpenSqliteStore(parsed.target, parsed.flush_every_commit);
}

Result<std::unique_ptr<ChangeListener>> ListenForChanges(const std::string& url) {
  LEADLINE_ASSIGN_OR_RETURN(const StoreUrl parsed, ParseStoreUrl(url));
  if (parsed.engine != sql::Engine::kPostgres) return std::unique_ptr<ChangeListener>();
  LEADLINE_ASSIGN_OR_RETURN(auto listener,
                            postgres::PgListener::Open(parsed.target, parsed.display));
  return std::unique_ptr<ChangeListener>(std::move(listener));
}

Result<std::vector<AppliedMigration>> MigrateStore(const std::string& url) {
  LEADLINE_ASSIGN_OR_RETURN(const StoreUrl parsed, ParseStoreUrl(url));
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<sql::Connection> db, OpenConnection(parsed));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<Migration> applied,
                            sql::Migrate(*db, MigrationsFor(parsed.engine), parsed.display));
  std::vector<AppliedMigration> out;
  for (const Migration& migration : applied) {
    out.push_back({migration.version, std::string(migration.description)});
  }
  return out;
}

}  // namespace leadline::store
