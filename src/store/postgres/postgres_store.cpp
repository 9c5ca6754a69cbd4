#include "store/postgres/postgres_store.h"

#include "store/migrations.h"
#include "store/postgres/pg_connection.h"
#include "store/sql/migrator.h"
#include "store/sql/sql_store.h"

namespace leadline::store::postgres {

Result<std::unique_ptr<Store>> OpenPostgresStore(const StoreUrl& url) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> db,
                            PgConnection::Open(url.target, url.display));
  LEADLINE_RETURN_IF_ERROR(sql::Migrate(*db, PostgresMigrations(), url.display).status());
  return sql::MakeSqlStore(std::move(db));
}

}  // namespace leadline::store::postgres
