// The store's schema as an ordered list of migrations. Version N is applied once, in its own
// transaction, and recorded in schema_migrations; a store is never written by a build that
// knows fewer versions than it has. Pure data; thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace leadline::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
  // SQLite: the migration rebuilds a table others refer to, which SQLite allows only with
  // foreign keys off; the migrator turns them off around it and checks them before committing.
  bool without_foreign_keys = false;
};

// SQLite dialect, oldest first, versions 1..N without gaps.
std::span<const Migration> SqliteMigrations();
// PostgreSQL dialect, the same way; its version 1 is SQLite's version 15.
std::span<const Migration> PostgresMigrations();

}  // namespace leadline::store
