// A thin RAII wrapper over the SQLite C API: one connection, prepared statements, and errors as
// Status. Not thread-safe: one Database per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace leadline::store::sqlite {

using common::Result;
using common::Status;

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  // A statement the Database keeps (PrepareCached): reset, not finalized, when this goes.
  static Statement Borrowed(sqlite3* db, sqlite3_stmt* stmt);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. Text is copied by SQLite only when asked: views must
  // stay valid until the next Step/Reset.
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindNull(int index);
  // NULL when empty.
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  // Runs one step: true when a row is available, false when done.
  Result<bool> Step();
  // Runs to completion, ignoring rows.
  Status Run();
  void Reset();

  std::int64_t ColumnInt(int index) const;
  bool ColumnIsNull(int index) const;
  std::string_view ColumnText(int index) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  bool borrowed_ = false;
};

class Database {
 public:
  // Opens or creates the file, in WAL mode with foreign keys on.
  static Result<Database> Open(const std::string& path);
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  // For statements on hot paths: prepared once per connection and kept until it closes. Only one
  // use of the same SQL at a time.
  Result<Statement> PrepareCached(const std::string& sql);
  // Copies the write-ahead log into the database file without waiting for anyone. Once the log
  // holds more than `restart_pages`, also waits up to `max_wait` for the writer and the readers,
  // so that the next write starts the log from its beginning: SQLite reuses the log only when
  // all of it has been copied, which a passive copy never achieves under a steady stream of
  // commits, and the log would grow without bound.
  Status Checkpoint(int restart_pages, std::chrono::microseconds max_wait);
  std::int64_t LastInsertRowId() const;
  int Changes() const;
  std::string ErrorMessage() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  void FinalizeCached();
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cached_;
};

}  // namespace leadline::store::sqlite
