#include "store/sqlite/sqlite_db.h"

#include <sqlite3.h>
#include <unistd.h>

#include <utility>

namespace leadline::store::sqlite {

namespace {

// One prepared statement; finalized when it goes.
class SqliteStatement : public sql::StatementImpl {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void BindInt(int index, std::int64_t value) override { sqlite3_bind_int64(stmt_, index, value); }
  void BindText(int index, std::string_view text) override {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }
  void BindNull(int index) override { sqlite3_bind_null(stmt_, index); }
  void BindReal(int index, double value) override { sqlite3_bind_double(stmt_, index, value); }

  Result<bool> Step() override {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Status::DatabaseError(std::string("SQLite: ") + sqlite3_errmsg(db_));
  }
  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  std::int64_t ColumnInt(int index) const override { return sqlite3_column_int64(stmt_, index); }
  bool ColumnIsNull(int index) const override {
    return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
  }
  double ColumnReal(int index) const override { return sqlite3_column_double(stmt_, index); }
  std::string_view ColumnText(int index) const override {
    const auto* text = sqlite3_column_text(stmt_, index);
    if (text == nullptr) return {};
    return {reinterpret_cast<const char*>(text),
            static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))};
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

}  // namespace

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

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, bool flush_every_commit) {
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
  std::unique_ptr<Database> database(new Database(db));
  sqlite3_busy_handler(db, WaitForTheLock, nullptr);
  // WAL lets readers run while a sync writes; NORMAL sync is durable across process crashes.
  // Memory-mapped reads let a snapshot load scan the commits without copying every page into
  // SQLite's cache (40% faster on a 150k-commit store); the size is address space, not memory.
  LEADLINE_RETURN_IF_ERROR(
      database
          ->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                 "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=1073741824; PRAGMA cache_size=-65536;")
          .WithContext("cannot use the database '" + path + "'"));
  if (flush_every_commit) {
    LEADLINE_RETURN_IF_ERROR(database->Exec("PRAGMA synchronous=FULL;")
                                 .WithContext("cannot use the database '" + path + "'"));
  }
  return database;
}

Database::~Database() {
  cached_.clear();  // the statements go before the connection
  sqlite3_close_v2(db_);
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

Result<Statement> Database::PrepareCached(const std::string& sql) {
  auto found = cached_.find(sql);
  if (found == cached_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      return Status::DatabaseError(std::string("SQLite: ") + sqlite3_errmsg(db_));
    }
    found = cached_.emplace(sql, std::make_unique<SqliteStatement>(db_, stmt)).first;
  }
  return Statement::Borrowed(found->second.get());
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
  return Statement::Owned(new SqliteStatement(db_, stmt));
}

std::int64_t Database::Changes() const { return sqlite3_changes(db_); }

bool Database::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

std::string Database::ErrorMessage() const { return sqlite3_errmsg(db_); }

}  // namespace leadline::store::sqlite
