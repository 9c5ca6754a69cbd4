#include "store/open_connection.h"

#include "store/postgres/pg_connection.h"
#include "store/sqlite/sqlite_db.h"

namespace leadline::store {

common::Result<std::unique_ptr<sql::Connection>> OpenConnection(const StoreUrl& url) {
  if (url.engine == sql::Engine::kPostgres) {
    LEADLINE_ASSIGN_OR_RETURN(auto db, postgres::PgConnection::Open(url.target, url.display));
    return std::unique_ptr<sql::Connection>(std::move(db));
  }
  LEADLINE_ASSIGN_OR_RETURN(auto db, sqlite::Database::Open(url.target, url.flush_every_commit));
  return std::unique_ptr<sql::Connection>(std::move(db));
}

std::span<const Migration> MigrationsFor(sql::Engine engine) {
  return engine == sql::Engine::kPostgres ? PostgresMigrations() : SqliteMigrations();
}

}  // namespace leadline::store
