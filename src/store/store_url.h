// Store URLs: which engine holds the store and where. `sqlite:PATH` or a bare path is a SQLite
// file (`sqlite:PATH?synchronous=full` flushes each commit to disk, see below);
// `postgres://user@host:port/db?sslmode=...` (or `postgresql://`) a PostgreSQL database, handed to
// libpq as it is. Passwords never leave this struct except to libpq: `display` is the URL to print,
// with any password replaced by "***". Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/sql/connection.h"

namespace leadline::store {

struct StoreUrl {
  sql::Engine engine = sql::Engine::kSqlite;
  std::string target;   // the SQLite file's path, or the PostgreSQL URL for libpq
  std::string display;  // for logs and errors: no password
  // SQLite only. By default (`synchronous=normal` in WAL mode) a commit reaches the operating
  // system before it returns: it survives a crash of the process, not a power loss. With
  // `sqlite:PATH?synchronous=full` every commit is flushed to disk first, as PostgreSQL's are,
  // so a webhook answered 200 survives a power loss too, at the cost of a flush per commit.
  bool flush_every_commit = false;
};

common::Result<StoreUrl> ParseStoreUrl(std::string_view text);

// Where passwords are in `text` (a URL or a key=value connection string): the password of a
// URL's user part and the value of each `password=` parameter, as {offset, length}, in order.
// The spans may overlap.
std::vector<std::pair<std::size_t, std::size_t>> PasswordSpans(std::string_view text);

// `url` with each password (PasswordSpans) replaced by "***".
std::string RedactPassword(std::string_view url);

}  // namespace leadline::store
