// The fixture of the end-to-end tests that run the real `leadline` binary against the local
// Bitbucket double: a temporary directory with token files and a store, and the double itself.
// The store is a SQLite file, or with LEADLINE_TEST_STORE=postgres a new database on the
// PostgreSQL server the tests start (the data directory is then the temporary directory, given
// to every command through LEADLINE_DATA_DIR).
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "bitbucket_double/bitbucket_double.h"
#include "common/time.h"
#include "store/postgres/pg_connection.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"
#include "store/testing/postgres_server.h"
#include "testing/git_script.h"

extern "C" char** environ;

namespace leadline::testing {

struct LeadlineRun {
  int exit_code = 0;
  std::string out;
  std::string err;
};

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class BitbucketCliTest : public ::testing::Test {
 protected:
  explicit BitbucketCliTest(BitbucketDoubleConfig config = DefaultConfig())
      : config_(std::move(config)), bitbucket_(config_) {
    std::ofstream(dir_.Child("api-token")) << config_.api_token << "\n";
    std::ofstream(dir_.Child("dc-token")) << config_.dc_token << "\n";
    std::ofstream(dir_.Child("wrong-token")) << "not-the-token\n";
    if (OnPostgres()) UsePostgres();
  }

  // Whether this run's stores are PostgreSQL databases (LEADLINE_TEST_STORE=postgres).
  static bool OnPostgres() {
    const char* engine = std::getenv("LEADLINE_TEST_STORE");
    return engine != nullptr && std::string(engine) == "postgres";
  }

  // The command line of `leadline ARGS --store DB` (ARGS already quoted), with `env` prefixed.
  std::string CommandLine(const std::string& args, const std::string& env = "") const {
    return "env -u LEADLINE_SECRET_KEY " + env + " timeout 120 " + LeadlineBinary() + " " + args +
           " --store " + ShellQuote(db());
  }
  // Starts `leadline ARGS --store DB` and kills it with SIGKILL once `far_enough` holds (asked
  // every 2 ms, for at most 60 s): whether it died of the signal rather than finished first.
  bool KillLeadlineWhen(const std::string& args, const std::function<bool()>& far_enough) const {
    const std::string command = "exec env -u LEADLINE_SECRET_KEY " + LeadlineBinary() + " " + args +
                                " --store " + ShellQuote(db()) + " >/dev/null 2>&1";
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    pid_t pid = 0;
    if (posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) {
      ADD_FAILURE() << "cannot start " << command;
      return false;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!far_enough() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }
  LeadlineRun Leadline(const std::string& args, const std::string& env = "") const {
    const std::string err = dir_.Child("stderr.txt");
    const auto run = RunCommand(CommandLine(args, env) + " 2>" + ShellQuote(err));
    LeadlineRun result{run.exit_code, run.output, ReadWholeFile(err)};
    // No test expects a crash (a signal, or an exception caught in main): say what it printed.
    if (result.exit_code == 70 || (result.exit_code > 128 && result.exit_code != 124)) {
      ADD_FAILURE() << "leadline " << args << " crashed (exit " << result.exit_code << "):\n"
                    << result.err;
    }
    return result;
  }
  std::string ConnectCloud(const std::string& token_file = "api-token") const {
    return "connect bitbucket-cloud --workspace acme --api-url " +
           ShellQuote(bitbucket_.cloud_api_url()) + " --email dev@example.com --token-file " +
           ShellQuote(dir_.Child(token_file));
  }
  std::string ConnectDataCenter() const {
    return "connect bitbucket-dc --url " + ShellQuote(bitbucket_.dc_url()) + " --token-file " +
           ShellQuote(dir_.Child("dc-token"));
  }
  // Connects with `connect`, lists the repositories and selects `location`.
  void ConnectAndSelect(const std::string& connect, const std::string& location) const {
    ASSERT_EQ(Leadline(connect).exit_code, 0);
    ASSERT_EQ(Leadline("repos list").exit_code, 0);
    ASSERT_EQ(Leadline("repos select " + location).exit_code, 0);
  }
  // The store's URL: the SQLite file, or the PostgreSQL database.
  std::string db() const {
    return postgres_url_.empty() ? dir_.Child("leadline.db") : postgres_url_;
  }
  // A connection of its own to the store, for reading rows no command shows.
  std::unique_ptr<store::sql::Connection> RawStore() const {
    if (!postgres_url_.empty()) {
      auto db = store::postgres::PgConnection::Open(postgres_url_, "the test database");
      EXPECT_TRUE(db.ok()) << db.status().message();
      return db.ok() ? std::move(db).value() : nullptr;
    }
    auto file = store::sqlite::Database::Open(db());
    EXPECT_TRUE(file.ok()) << file.status().message();
    return file.ok() ? std::move(file).value() : nullptr;
  }
  // The first column of the first row of `sql`, as text ("" when none).
  std::string Query(const std::string& sql) const {
    auto raw = RawStore();
    if (raw == nullptr) return "";
    auto stmt = raw->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << stmt.status().message();
    if (!stmt.ok()) return "";
    auto row = stmt->Step();
    if (!row.ok() || !*row) return "";
    return std::string(stmt->ColumnText(0));
  }
  // Where the key that seals secrets is kept.
  std::string KeyFile() const {
    return postgres_url_.empty() ? db() + ".key" : dir_.Child("leadline.key");
  }

  static BitbucketDoubleConfig DefaultConfig() {
    BitbucketDoubleConfig config;
    config.pull_requests_per_repo = 60;
    config.pipelines_per_repo = 4;
    config.deployments_per_repo = 3;
    // Recent enough for sync's default 90-day window.
    config.history_start = common::NowUnixSeconds() - 30 * common::kDay;
    return config;
  }

  TempDir dir_;
  BitbucketDoubleConfig config_;
  BitbucketDouble bitbucket_;
  std::string postgres_url_;

 private:
  void UsePostgres() {
    std::string why;
    store::testing::PostgresServer* server = store::testing::PostgresServer::Shared(&why);
    ASSERT_NE(server, nullptr) << why;
    postgres_url_ = server->CreateDatabase();
    ASSERT_FALSE(postgres_url_.empty()) << "cannot create a test database";
    setenv("LEADLINE_DATA_DIR", dir_.path().c_str(), 1);  // inherited by every command
    auto migrated = store::MigrateStore(postgres_url_);
    ASSERT_TRUE(migrated.ok()) << migrated.status().message();
  }
};

}  // namespace leadline::testing
