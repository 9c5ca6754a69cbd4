// The PostgreSQL store: the shared SQL store (store/sql) over a libpq connection. Not
// thread-safe: one store per thread.
#pragma once

#include <memory>

#include "store/store.h"
#include "store/store_url.h"

namespace leadline::store::postgres {

// Connects and brings the schema up to date (under the migration lock).
Result<std::unique_ptr<Store>> OpenPostgresStore(const StoreUrl& url);

}  // namespace leadline::store::postgres
