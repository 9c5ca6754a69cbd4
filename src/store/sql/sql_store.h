// The Store written once over the SQL seam (store/sql/connection.h): every engine's store is
// this class over that engine's connection. Not thread-safe, like its connection.
#pragma once

#include <memory>

#include "store/sql/connection.h"
#include "store/store.h"

namespace leadline::store::sql {

// A store over `connection`, whose schema is already current (see migrator.h).
std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<Connection> connection);

}  // namespace leadline::store::sql
