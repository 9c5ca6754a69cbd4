#include "store/store.h"

#include "store/sqlite/sqlite_store.h"

namespace leadline::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    return Status::InvalidArgument(
        "PostgreSQL stores are not supported by this build yet: use a SQLite file path for --db");
  }
  return sqlite::OpenSqliteStore(url);
}

}  // namespace leadline::store
