// The SQLite store: one file, WAL mode, prepared statements only (the shared SQL store over
// sqlite_db.h).
// Not thread-safe: one SqliteStore per thread (SQLite itself serialises writers across
// processes).
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace leadline::store::sqlite {

// Opens or creates the database file and brings its schema up to date. `flush_every_commit`:
// StoreUrl::flush_every_commit.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               bool flush_every_commit = false);

}  // namespace leadline::store::sqlite
