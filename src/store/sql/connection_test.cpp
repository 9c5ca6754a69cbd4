// The connection seam's own behaviour, the same on both engines.
#include "store/sql/connection.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/sql/temp_store_test.h"

namespace leadline::store::sql {
namespace {

using ConnectionTest = TempStoreTest;

TEST_P(ConnectionTest, RunsInOneTransactionCommitTogetherOrNotAtAll) {
  auto db = RawConnection();
  ASSERT_NE(db, nullptr);
  const bool postgres = GetParam() == Engine::kPostgres;
  ASSERT_TRUE(db->Exec(std::string("CREATE TABLE runs (n BIGINT UNIQUE CHECK (n > 0), at ") +
                       (postgres ? "timestamptz" : "INTEGER") + ", note TEXT)")
                  .ok());
  const std::string insert =
      "INSERT INTO runs (n, at, note) VALUES (?, ?, ?) ON CONFLICT (n) DO NOTHING";
  const std::string note = std::string(20'000, 'x') + "é";  // longer than libpq's buffer
  auto changes = db->RunEachInTransaction(
      insert, {{std::int64_t{1}, std::int64_t{1'700'000'000}, std::string_view(note)},
               {std::int64_t{2}, std::monostate{}, std::string_view("it's")},
               {std::int64_t{1}, std::int64_t{0}, std::string_view("a retry")}});
  ASSERT_TRUE(changes.ok()) << changes.status().message();
  EXPECT_EQ(*changes, (std::vector<std::int64_t>{1, 1, 0}));
  EXPECT_FALSE(db->InTransaction());
  {
    auto rows = db->Prepare("SELECT n, at, note FROM runs ORDER BY n");
    ASSERT_TRUE(rows.ok() && *rows->Step());
    EXPECT_EQ(rows->ColumnInt(1), 1'700'000'000);
    EXPECT_EQ(rows->ColumnText(2), note);
    ASSERT_TRUE(*rows->Step());
    EXPECT_TRUE(rows->ColumnIsNull(1));
    EXPECT_EQ(rows->ColumnText(2), "it's");
    EXPECT_FALSE(*rows->Step());
  }

  // The second run breaks the CHECK: it is named, nothing of the transaction stays, and the
  // connection is ready for the next statement.
  std::size_t failed_run = 99;
  changes = db->RunEachInTransaction(insert,
                                     {{std::int64_t{3}, std::monostate{}, std::monostate{}},
                                      {std::int64_t{-1}, std::monostate{}, std::monostate{}},
                                      {std::int64_t{4}, std::monostate{}, std::monostate{}}},
                                     &failed_run);
  ASSERT_FALSE(changes.ok());
  EXPECT_EQ(failed_run, 1u);
  EXPECT_NE(changes.status().message().find(postgres ? "runs_n_check" : "CHECK"), std::string::npos)
      << changes.status().message();
  EXPECT_FALSE(db->InTransaction());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs"), 2);

  EXPECT_TRUE(db->Exec("SELECT 1").ok());
  EXPECT_TRUE(db->RunEachInTransaction(insert, {})->empty());
  // Not inside a transaction the caller holds: refused, and the caller's transaction is left as
  // it was.
  ASSERT_TRUE(db->Begin().ok());
  EXPECT_FALSE(
      db->RunEachInTransaction(insert, {{std::int64_t{5}, std::monostate{}, std::monostate{}}})
          .ok());
  EXPECT_TRUE(db->InTransaction());
  db->Rollback();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs"), 2);
}

TEST_P(ConnectionTest, APostgresRunWithTheWrongNumberOfParametersIsRefusedBeforeAnythingIsSent) {
  if (GetParam() != Engine::kPostgres) GTEST_SKIP() << "SQLite binds what it is given";
  auto db = RawConnection();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE few (n bigint, m bigint)").ok());
  auto changes = db->RunEachInTransaction("INSERT INTO few (n, m) VALUES (?, ?)",
                                          {{std::int64_t{1}, std::int64_t{2}}, {std::int64_t{5}}});
  ASSERT_FALSE(changes.ok());
  EXPECT_NE(changes.status().message().find("takes 2"), std::string::npos)
      << changes.status().message();
  EXPECT_FALSE(db->InTransaction());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM few"), 0);
}

LEADLINE_ON_EVERY_ENGINE(ConnectionTest);

}  // namespace
}  // namespace leadline::store::sql
