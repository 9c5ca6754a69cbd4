// Test support: a real PostgreSQL server for the tests, started by the test process itself:
// `initdb` and `pg_ctl` on a temporary directory and a free loopback port, stopped and removed
// when the process ends. Running as root (as CI does), the cluster belongs to the `postgres`
// system user, since initdb refuses root. Tests only; Shared() is thread-safe, the rest is not.
#pragma once

#include <string>

namespace leadline::store::testing {

class PostgresServer {
 public:
  // The process's server, started on first use. Null when PostgreSQL's server programs are not
  // installed, with the reason in `why`; under CI (CI=true) that is a failure the caller reports.
  static PostgresServer* Shared(std::string* why);

  // A new empty database on the server; returns its URL (postgres://leadline@127.0.0.1:PORT/NAME).
  std::string CreateDatabase();
  // Runs one SQL command as the superuser on database `database` ("postgres" by default);
  // returns false on error.
  bool Run(const std::string& sql, const std::string& database = "postgres");

  int port() const { return port_; }
  // Stops the server (fast shutdown: connections are closed) and starts it again on the same port.
  bool Stop();
  bool Start();

  ~PostgresServer();

 private:
  PostgresServer() = default;
  bool Init(std::string* why);
  int RunAsOwner(const std::string& command) const;

  std::string bin_dir_;
  std::string dir_;
  int port_ = 0;
  int next_database_ = 0;
  bool as_postgres_user_ = false;
};

// The skip-or-fail rule of every PostgreSQL test: returns the shared server, or null after
// marking the test skipped (locally, with why) or failed (under CI, where PostgreSQL must be
// installed). Call from the test body or SetUp, then return when null.
PostgresServer* PostgresForTest();

}  // namespace leadline::store::testing
