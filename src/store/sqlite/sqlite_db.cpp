#include "store/sqlite/sqlite_db.h"

#include <sqlite3.h>
#include <unistd.h>

#include <utility>

namespace leadline::store::sqlite {

namespace {

void Release(sqlite3_stmt* stmt, bool borrowed) {
  if (!borrowed) {
    sqlite3_finalize(stmt);
  } else if (stmt != nullptr) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
}

}  // namespace

Statement Statement::Borrowed(sqlite3* db, sqlite3_stmt* stmt) {
  Statement statement(db, stmt);
  statement.borrowed_ = true;
  return statement;
}

Statement::~Statement() { Release(stmt_, borrowed_); }

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      borrowed_(other.borrowed_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release(stmt_, borrowed_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    borrowed_ = other.borrowed_;
  }
  return *this;
}

Statement& Statement::Bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Status::DatabaseError(std::string("SQLite: ") + sqlite3_errmsg(db_));
}

Status Statement::Run() {
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, Step());
    if (!row) break;
  }
  Reset();
  return Status::Ok();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

std::string_view Statement::ColumnText(int index) const {
  const auto* text = sqlite3_column_text(stmt_, index);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))};
}

namespace {

constexpr int kLockStepMicroseconds = 200;

// Waits up to 5 s for another connection's lock, in steps of 0.2 ms. (SQLite's own busy timeout
// sleeps up to 100 ms at a time: a request queued behind a write of a millisecond would wait
// for tens of them.)
int WaitForTheLock(void*, int attempts) {
  constexpr int kMaxAttempts = 5'000'000 / kLockStepMicroseconds;
  if (attempts >= kMaxAttempts) return 0;
  usleep(kLockStepMicroseconds);
  return 1;
}

// The same, up to the number of steps `max_attempts` points to.
int WaitForTheLockBriefly(void* max_attempts, int attempts) {
  if (attempts >= *static_cast<const int*>(max_attempts)) return 0;
  usleep(kLockStepMicroseconds);
  return 1;
}

}  // namespace

Result<Database> Database::Open(const std::string& path) {
  sqlite3* db = nullptr;
  // One Database per thread (see the header): SQLite's own lock around every call, which a
  // snapshot load makes a million times (a quarter of its instructions), guards nothing.
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::IoError("cannot open the database '" + path + "': " + message);
  }
  Database database(db);
  sqlite3_busy_handler(db, WaitForTheLock, nullptr);
  // WAL lets readers run while a sync writes; NORMAL sync is durable across process crashes.
  // Memory-mapped reads let a snapshot load scan the commits without copying every page into
  // SQLite's cache (40% faster on a 150k-commit store); the size is address space, not memory.
  LEADLINE_RETURN_IF_ERROR(
      database
          .Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=1073741824; PRAGMA cache_size=-65536;")
          .WithContext("cannot use the database '" + path + "'"));
  return database;
}

Database::~Database() {
  FinalizeCached();
  sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), cached_(std::move(other.cached_)) {
  other.cached_.clear();
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    FinalizeCached();
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    cached_ = std::move(other.cached_);
    other.cached_.clear();
  }
  return *this;
}

Status Database::Checkpoint(int restart_pages, std::chrono::microseconds max_wait) {
  int log_pages = 0;
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_pages, nullptr);
  if (rc == SQLITE_OK && log_pages > restart_pages) {
    // Another passive copy first: what the restart still copies, it copies holding up writers.
    rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc == SQLITE_OK) {
      int max_attempts = static_cast<int>(max_wait.count() / kLockStepMicroseconds);
      sqlite3_busy_handler(db_, WaitForTheLockBriefly, &max_attempts);
      rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
      sqlite3_busy_handler(db_, WaitForTheLock, nullptr);
    }
  }
  // Busy is not a failure: another checkpoint was running, or a reader or writer outlasted the
  // wait; the next checkpoint tries again.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    return Status::IoError("cannot checkpoint the database: " + ErrorMessage());
  }
  return Status::Ok();
}

void Database::FinalizeCached() {
  for (auto& [sql, stmt] : cached_) sqlite3_finalize(stmt);
  cached_.clear();
}

Result<Statement> Database::PrepareCached(const std::string& sql) {
  auto found = cached_.find(sql);
  if (found == cached_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      return Status::DatabaseError(std::string("SQLite: ") + sqlite3_errmsg(db_));
    }
    found = cached_.emplace(sql, stmt).first;
  }
  return Statement::Borrowed(db_, found->second);
}

Status Database::Exec(std::string_view sql) {
  char* error = nullptr;
  const std::string statement(sql);
  if (sqlite3_exec(db_, statement.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    return Status::DatabaseError("SQLite: " + message);
  }
  return Status::Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return Status::DatabaseError(std::string("SQLite: ") + sqlite3_errmsg(db_));
  }
  return Statement(db_, stmt);
}

std::int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int Database::Changes() const { return sqlite3_changes(db_); }

std::string Database::ErrorMessage() const { return sqlite3_errmsg(db_); }

}  // namespace leadline::store::sqlite
