// The PostgreSQL store: the shared SQL store (store/sql) over a libpq connection. Not
// thread-safe: one store per thread.
#pragma once

#include <memory>

#include "store/store.h"
#include "store/store_url.h"

namespace leadline::store::postgres {

// Connects to a store whose schema is this build's version; one behind or ahead is refused with
// what to do.
Result<std::unique_ptr<Store>> OpenPostgresStore(const StoreUrl& url);

}  // namespace leadline::store::postgres
