#include "store/sqlite/sqlite_store.h"

#include "store/migrations.h"
#include "store/sql/migrator.h"
#include "store/sql/sql_store.h"
#include "store/sqlite/sqlite_db.h"

namespace leadline::store::sqlite {

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, bool flush_every_commit) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path, flush_every_commit));
  LEADLINE_RETURN_IF_ERROR(sql::Migrate(*db, SqliteMigrations(), "'" + path + "'").status());
  return sql::MakeSqlStore(std::move(db));
}

}  // namespace leadline::store::sqlite
