// Test support for the store's conformance tests: a fresh, empty store per test on each engine
// (a SQLite file in a temporary folder; a new database on the PostgreSQL server the tests start
// themselves), removed afterwards. Fixtures derive from it, write TEST_P, and instantiate with
// LEADLINE_ON_EVERY_ENGINE(Fixture). Tests only; not thread-safe.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/postgres/pg_connection.h"
#include "store/sql/connection.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"
#include "store/testing/postgres_server.h"

namespace leadline::store {

class TempStoreTest : public ::testing::TestWithParam<sql::Engine> {
 protected:
  void SetUp() override {
    if (GetParam() == sql::Engine::kPostgres) {
      testing::PostgresServer* server = testing::PostgresForTest();
      if (server == nullptr) GTEST_SKIP() << "PostgreSQL is not installed";
      url_ = server->CreateDatabase();
      ASSERT_FALSE(url_.empty()) << "cannot create a test database";
      auto migrated = MigrateStore(url_);
      ASSERT_TRUE(migrated.ok()) << migrated.status().message();
    } else {
      dir_ = std::filesystem::temp_directory_path() /
             ("leadline-store-" + std::to_string(getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      url_ = (dir_ / "leadline.db").string();
    }
    auto store = OpenStore(url_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // A second connection to the same store, for looking at rows the Store does not show.
  std::unique_ptr<sql::Connection> RawConnection() {
    if (GetParam() == sql::Engine::kPostgres) {
      auto db = postgres::PgConnection::Open(url_, "the test database");
      EXPECT_TRUE(db.ok()) << db.status().message();
      return db.ok() ? std::move(db).value() : nullptr;
    }
    auto db = sqlite::Database::Open(url_);
    EXPECT_TRUE(db.ok()) << db.status().message();
    return db.ok() ? std::move(db).value() : nullptr;
  }
  // The number of rows `sql` (a SELECT COUNT(*) ...) counts, read through a second connection.
  std::int64_t Count(const std::string& sql) {
    auto db = RawConnection();
    if (db == nullptr) return -1;
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << stmt.status().message();
    if (!stmt.ok()) return -1;
    auto row = stmt->Step();
    return row.ok() && *row ? stmt->ColumnInt(0) : -1;
  }

  std::filesystem::path dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

// A local git repository's row, "/src/app"; returns its id.
inline std::int64_t AddTestRepository(Store& store) {
  model::Repository repo{.source = "git",
                         .location = "/src/app",
                         .name = "app",
                         .default_branch = "main",
                         .clone_url = ""};
  return *store.repositories().UpsertRepository(repo);
}

inline std::string EngineName(const ::testing::TestParamInfo<sql::Engine>& info) {
  return info.param == sql::Engine::kPostgres ? "Postgres" : "Sqlite";
}

#define LEADLINE_ON_EVERY_ENGINE(Fixture)                                                \
  INSTANTIATE_TEST_SUITE_P(Engines, Fixture,                                             \
                           ::testing::Values(::leadline::store::sql::Engine::kSqlite,    \
                                             ::leadline::store::sql::Engine::kPostgres), \
                           ::leadline::store::EngineName)

}  // namespace leadline::store
