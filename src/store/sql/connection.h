// The seam between the store's SQL and a database engine: a connection that prepares statements
// and runs them, implemented by SQLite (store/sqlite) and PostgreSQL (store/postgres). The row code
// in store/sql is written once against it, in the SQL both engines accept:
//   - `?` placeholders (PostgreSQL's engine numbers them), `ON CONFLICT ... DO UPDATE/NOTHING`,
//     `RETURNING`, `IS DISTINCT FROM`, `TRUE`/`FALSE`;
//   - times bound and read as Unix seconds: PostgreSQL's engine converts them to and from its
//     `timestamptz` columns, and `boolean` columns to and from 0/1, so callers see one shape.
// A Connection and its statements are used from one thread at a time.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"

namespace leadline::store::sql {

using common::Result;
using common::Status;

enum class Engine { kSqlite, kPostgres };

// A parameter of Connection::RunEachInTransaction: NULL, an integer (or Unix seconds), or text
// that must outlive the call.
using Parameter = std::variant<std::monostate, std::int64_t, std::string_view>;

// What an engine implements for one prepared statement.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  // Parameters are 1-based. Text must stay valid until the next Step or Reset.
  virtual void BindInt(int index, std::int64_t value) = 0;
  virtual void BindText(int index, std::string_view text) = 0;
  virtual void BindNull(int index) = 0;
  // A double precision value, exactly: SQLite's REAL, PostgreSQL's float8.
  virtual void BindReal(int index, double value) = 0;
  virtual Result<bool> Step() = 0;
  virtual void Reset() = 0;  // and clears the bindings
  virtual std::int64_t ColumnInt(int index) const = 0;
  virtual bool ColumnIsNull(int index) const = 0;
  virtual double ColumnReal(int index) const = 0;
  // Valid until the next Step or Reset.
  virtual std::string_view ColumnText(int index) const = 0;
};

// A prepared statement: owned (finalized when it goes) or borrowed from the connection's cache
// (reset when it goes, kept prepared for the next use).
class Statement {
 public:
  Statement() = default;
  static Statement Owned(StatementImpl* impl) { return Statement(impl, true); }
  static Statement Borrowed(StatementImpl* impl) { return Statement(impl, false); }
  ~Statement() { Release(); }
  Statement(Statement&& other) noexcept
      : impl_(std::exchange(other.impl_, nullptr)), owned_(other.owned_) {}
  Statement& operator=(Statement&& other) noexcept {
    if (this != &other) {
      Release();
      impl_ = std::exchange(other.impl_, nullptr);
      owned_ = other.owned_;
    }
    return *this;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::int64_t value) {
    impl_->BindInt(index, value);
    return *this;
  }
  // The text is not copied: it must outlive the statement's run.
  Statement& Bind(int index, std::string_view text) {
    impl_->BindText(index, text);
    return *this;
  }
  // A temporary string would be gone before the run: keep it in a variable first. (Templates, so
  // that only a temporary std::string, or optional of one, is refused, and nothing converts.)
  template <typename S>
  requires std::same_as<S, std::string> || std::same_as<S, std::optional<std::string>> Statement&
  Bind(int index, S&& text) = delete;
  Statement& BindNull(int index) {
    impl_->BindNull(index);
    return *this;
  }
  Statement& BindReal(int index, double value) {
    impl_->BindReal(index, value);
    return *this;
  }
  // NULL when empty.
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  // Runs one step: true when a row is available, false when done.
  Result<bool> Step() { return impl_->Step(); }
  // Runs to completion, ignoring rows, then resets.
  Status Run() {
    for (;;) {
      LEADLINE_ASSIGN_OR_RETURN(const bool row, Step());
      if (!row) break;
    }
    Reset();
    return Status::Ok();
  }
  void Reset() { impl_->Reset(); }

  std::int64_t ColumnInt(int index) const { return impl_->ColumnInt(index); }
  bool ColumnIsNull(int index) const { return impl_->ColumnIsNull(index); }
  double ColumnReal(int index) const { return impl_->ColumnReal(index); }
  std::string_view ColumnText(int index) const { return impl_->ColumnText(index); }

 private:
  Statement(StatementImpl* impl, bool owned) : impl_(impl), owned_(owned) {}
  void Release() {
    if (impl_ == nullptr) return;
    if (owned_) {
      delete impl_;
    } else {
      impl_->Reset();
    }
    impl_ = nullptr;
  }
  StatementImpl* impl_ = nullptr;
  bool owned_ = true;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Engine engine() const = 0;

  // Runs one or more statements without parameters.
  virtual Status Exec(std::string_view sql) = 0;
  virtual Result<Statement> Prepare(std::string_view sql) = 0;
  // For statements on hot paths: prepared once per connection and kept until it closes. Only one
  // use of the same SQL at a time.
  virtual Result<Statement> PrepareCached(const std::string& sql) = 0;
  // Rows changed by the last INSERT, UPDATE or DELETE run on this connection.
  virtual std::int64_t Changes() const = 0;
  // Whether a transaction is open on this connection.
  virtual bool InTransaction() const = 0;

  // A write transaction: SQLite takes the write lock at once, so that a transaction never fails
  // half-way on another's lock.
  virtual Status Begin() = 0;
  virtual Status Commit() { return Exec("COMMIT"); }
  virtual void Rollback() { (void)Exec("ROLLBACK"); }

  // Runs `sql` once for each of `runs` (its parameters, in order) in one transaction of its own,
  // outside any other, that commits only if every run succeeded; returns each run's Changes().
  // When a run failed (not the transaction), `failed_run` (if given) is set to its index.
  // PostgreSQL sends the whole transaction at once and reads the answers after it (one round trip
  // instead of one per statement); this one runs them in turn.
  virtual Result<std::vector<std::int64_t>> RunEachInTransaction(
      const std::string& sql, const std::vector<std::vector<Parameter>>& runs,
      std::size_t* failed_run = nullptr);

  // Engine housekeeping: SQLite's write-ahead log checkpoints (see Store); nothing elsewhere.
  virtual Status DeferCheckpoints() { return Status::Ok(); }
  virtual Status Checkpoint() { return Status::Ok(); }
};

inline Result<std::vector<std::int64_t>> Connection::RunEachInTransaction(
    const std::string& sql, const std::vector<std::vector<Parameter>>& runs,
    std::size_t* failed_run) {
  std::vector<std::int64_t> changes;
  LEADLINE_RETURN_IF_ERROR(Begin());
  const Status done = [&]() -> Status {
    LEADLINE_ASSIGN_OR_RETURN(Statement statement, PrepareCached(sql));
    for (const std::vector<Parameter>& run : runs) {
      for (std::size_t i = 0; i < run.size(); ++i) {
        const int index = static_cast<int>(i) + 1;
        if (const auto* number = std::get_if<std::int64_t>(&run[i])) {
          statement.Bind(index, *number);
        } else if (const auto* text = std::get_if<std::string_view>(&run[i])) {
          statement.Bind(index, *text);
        } else {
          statement.BindNull(index);
        }
      }
      if (Status ran = statement.Run(); !ran.ok()) {
        if (failed_run != nullptr) *failed_run = changes.size();
        return ran;
      }
      changes.push_back(Changes());
    }
    return Commit();
  }();
  if (!done.ok()) {
    if (InTransaction()) Rollback();
    return done;
  }
  return changes;
}

}  // namespace leadline::store::sql
