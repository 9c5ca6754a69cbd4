// PostgreSQL's side of the store's SQL seam (store/sql/connection.h), on libpq: one connection,
// every statement prepared on the server once per connection, results in binary form where every
// column's type allows (PreparedStatement::binary_results), else in text form. The shared
// SQL's `?` placeholders are numbered here; Unix seconds are converted to and from `timestamptz`
// and 0/1 to and from `boolean` by the parameter and column types the server describes, so the
// row code reads and writes one shape on both engines. The session runs in UTC.
// A connection the server dropped (a restart, a failover) is made again before the next statement
// that runs outside a transaction, and its statements prepared again; a statement that finds it
// lost fails with Unavailable (the API's 503), and the caller's retry finds it back.
// Not thread-safe: one PgConnection per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/sql/connection.h"

struct pg_conn;

namespace leadline::store::postgres {

using common::Result;
using common::Status;
using sql::Statement;

// The server's description of one prepared statement, shared by its uses.
struct PreparedStatement {
  std::string name;
  std::string sql;                            // numbered
  std::vector<unsigned int> parameter_types;  // type OIDs
  int session = 0;  // the connection's session it was prepared in (see Ready)
  // Rows come in binary when every result column is text, an integer, a boolean or a time: no
  // time or number is printed by the server and parsed back (a snapshot reads millions); other
  // types (jsonb, numeric...) keep the whole result in text.
  bool binary_results = false;
};

class PgConnection final : public sql::Connection {
 public:
  // Connects with a libpq connection string or URL (`postgres://user@host:port/db?...`). Errors
  // name the server by `display_name` (the URL without its password), never the secret.
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url,
                                                    const std::string& display_name);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  sql::Engine engine() const override { return sql::Engine::kPostgres; }
  Status Exec(std::string_view sql) override;
  Result<Statement> Prepare(std::string_view sql) override;
  Result<Statement> PrepareCached(const std::string& sql) override;
  std::int64_t Changes() const override { return changes_; }
  bool InTransaction() const override;
  // A transaction cut by a lost connection is never carried on in a new one: its statements fail
  // until Rollback, after which the connection is made again.
  Status Begin() override;
  Status Commit() override;
  void Rollback() override;

  // In one pipeline: BEGIN, every run, COMMIT and a sync are sent, then the answers read.
  Result<std::vector<std::int64_t>> RunEachInTransaction(
      const std::string& sql, const std::vector<std::vector<sql::Parameter>>& runs,
      std::size_t* failed_run = nullptr) override;

  // The server's version as a number (150004 for 15.4).
  int ServerVersion() const;

  // For statements: makes sure the connection is up and `prepared` is prepared in this session;
  // records the rows a command changed; turns a libpq failure into a Status.
  Status Ready(PreparedStatement& prepared);
  void SetChanges(std::int64_t changes) { changes_ = changes; }
  Status Failure(std::string_view what) const;
  pg_conn* raw() const { return conn_; }

 private:
  PgConnection(pg_conn* conn, std::string display_name)
      : conn_(conn), display_name_(std::move(display_name)) {}
  Result<PreparedStatement*> Described(std::string_view sql);
  // Makes the connection again when the server dropped it.
  Status Reconnect();
  Status StartSession();

  pg_conn* conn_ = nullptr;
  std::string display_name_;
  std::int64_t changes_ = 0;
  int session_ = 1;
  bool transaction_open_ = false;
  std::unordered_map<std::string, std::unique_ptr<PreparedStatement>> prepared_;
  std::unordered_map<std::string, std::unique_ptr<sql::StatementImpl>> cached_;
};

// "?" placeholders outside quoted strings and identifiers numbered as "$1", "$2", ...; a numbered
// "?N" becomes "$N". A statement uses one style or the other.
std::string NumberPlaceholders(std::string_view sql);

// Unix seconds as a timestamptz literal in UTC ("2024-05-01 12:00:00+00"), and back; the reading
// accepts fractional seconds (truncated) and any UTC offset the server prints.
std::string FormatTimestamp(std::int64_t unix_seconds);
std::int64_t ParseTimestamp(std::string_view text);

}  // namespace leadline::store::postgres
