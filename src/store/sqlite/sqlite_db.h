// SQLite's side of the store's SQL seam (store/sql/connection.h): one connection to one file, in
// WAL mode with foreign keys on, prepared statements, errors as Status. Not thread-safe: one
// Database per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/sql/connection.h"

struct sqlite3;
struct sqlite3_stmt;

namespace leadline::store::sqlite {

using common::Result;
using common::Status;
using sql::Statement;

class Database final : public sql::Connection {
 public:
  // Opens or creates the file. `flush_every_commit`: `synchronous=FULL` instead of NORMAL
  // (StoreUrl::flush_every_commit).
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                bool flush_every_commit = false);
  ~Database() override;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sql::Engine engine() const override { return sql::Engine::kSqlite; }
  Status Exec(std::string_view sql) override;
  Result<Statement> Prepare(std::string_view sql) override;
  Result<Statement> PrepareCached(const std::string& sql) override;
  std::int64_t Changes() const override;
  bool InTransaction() const override;
  Status Begin() override { return Exec("BEGIN IMMEDIATE"); }
  Status DeferCheckpoints() override { return Exec("PRAGMA wal_autocheckpoint=0"); }
  // Past 16,384 pages (64 MiB), the log is restarted; at the webhook intake's peak that is
  // about every other checkpoint, and the log stays near 130 MiB instead of growing by
  // 10 pages a delivery. The restart waits at most 10 ms for readers and the writer.
  Status Checkpoint() override { return Checkpoint(16'384, std::chrono::milliseconds(10)); }

  // Copies the write-ahead log into the database file without waiting for anyone. Once the log
  // holds more than `restart_pages`, also waits up to `max_wait` for the writer and the readers,
  // so that the next write starts the log from its beginning: SQLite reuses the log only when
  // all of it has been copied, which a passive copy never achieves under a steady stream of
  // commits, and the log would grow without bound.
  Status Checkpoint(int restart_pages, std::chrono::microseconds max_wait);
  std::string ErrorMessage() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<sql::StatementImpl>> cached_;
};

}  // namespace leadline::store::sqlite
