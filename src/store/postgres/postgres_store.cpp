#include "store/postgres/postgres_store.h"

#include "store/migrations.h"
#include "store/postgres/pg_connection.h"
#include "store/sql/migrator.h"
#include "store/sql/sql_store.h"

namespace leadline::store::postgres {

Result<std::unique_ptr<Store>> OpenPostgresStore(const StoreUrl& url) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> db,
                            PgConnection::Open(url.target, url.display));
  LEADLINE_ASSIGN_OR_RETURN(const int version, sql::SchemaVersion(*db));
  const int known = PostgresMigrations().back().version;
  if (version < known) {
    return Status::FailedPrecondition(
        "the store " + url.display + " has schema version " + std::to_string(version) +
        "; this Leadline needs " + std::to_string(known) +
        ": run `leadline migrate` with the same --store (or start `leadline serve`, which "
        "migrates)");
  }
  if (version > known) {
    return Status::FailedPrecondition(
        "the store " + url.display + " has schema version " + std::to_string(version) +
        ", newer than this Leadline knows (" + std::to_string(known) + "): upgrade Leadline");
  }
  return sql::MakeSqlStore(std::move(db));
}

}  // namespace leadline::store::postgres
