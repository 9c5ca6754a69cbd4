// A raw connection to the store a URL names, and that engine's migrations: for the commands that
// work on the store as a whole (migrate, store copy) rather than through Store. Not thread-safe.
#pragma once

#include <memory>
#include <span>

#include "store/migrations.h"
#include "store/sql/connection.h"
#include "store/store_url.h"

namespace leadline::store {

common::Result<std::unique_ptr<sql::Connection>> OpenConnection(const StoreUrl& url);

std::span<const Migration> MigrationsFor(sql::Engine engine);

}  // namespace leadline::store
