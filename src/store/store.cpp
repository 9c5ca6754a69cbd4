#include "store/store.h"

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store_url.h"

namespace leadline::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  LEADLINE_ASSIGN_OR_RETURN(const StoreUrl parsed, ParseStoreUrl(url));
  if (parsed.engine == sql::Engine::kPostgres) return postgres::OpenPostgresStore(parsed);
  return sqlite::OpenSqliteStore(parsed.target);
}

}  // namespace leadline::store
