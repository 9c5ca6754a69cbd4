#include "store/postgres/pg_connection.h"

#include <gtest/gtest.h>

#include "store/migrations.h"
#include "store/postgres/postgres_store.h"
#include "store/sql/migrator.h"
#include "store/store.h"
#include "store/testing/postgres_server.h"

namespace leadline::store::postgres {
namespace {

TEST(NumberPlaceholders, NumbersQuestionMarksOutsideQuotes) {
  EXPECT_EQ(NumberPlaceholders("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND \"d?\" = $2");
  EXPECT_EQ(NumberPlaceholders("INSERT INTO t VALUES (?, ?, '')"),
            "INSERT INTO t VALUES ($1, $2, '')");
  // A numbered "?N" (which SQLite takes too) keeps its number, and may repeat.
  EXPECT_EQ(NumberPlaceholders("UPDATE t SET a = ?1, b = ?12 WHERE c = ?1"),
            "UPDATE t SET a = $1, b = $12 WHERE c = $1");
}

TEST(Timestamps, RoundTripThroughTheServersTextForm) {
  for (const std::int64_t t : {0L, 1L, 1'700'000'000L, 4'102'444'800L, -86'400L}) {
    EXPECT_EQ(ParseTimestamp(FormatTimestamp(t)), t) << FormatTimestamp(t);
  }
  EXPECT_EQ(FormatTimestamp(1'700'000'000), "2023-11-14 22:13:20+00");
  EXPECT_EQ(ParseTimestamp("2023-11-14 22:13:20.123456+00"), 1'700'000'000);
  EXPECT_EQ(ParseTimestamp("2023-11-14 23:13:20+01"), 1'700'000'000);
  EXPECT_EQ(ParseTimestamp("2023-11-14 17:43:20-04:30"), 1'700'000'000);
}

TEST(Timestamps, ParsesEveryDayOfThreeCenturiesAsTheCalendarSays) {
  // FormatTimestamp prints through gmtime: the oracle for the hand-written parse, leap days,
  // century years and times before 1970 included.
  for (std::int64_t t = -2'208'988'800; t < 7'258'118'400; t += 86'400 + 3'607) {
    ASSERT_EQ(ParseTimestamp(FormatTimestamp(t)), t) << FormatTimestamp(t);
  }
  EXPECT_EQ(ParseTimestamp("1969-12-31 23:59:59+00"), -1);
  EXPECT_EQ(ParseTimestamp("2000-02-29 12:00:00.5+00"), 951'825'600);
}

TEST(Timestamps, TextThatIsNotATimeReadsAsZero) {
  for (const char* text : {"", "2023", "2023-11-14", "2023-11-14T22:13:20Z", "yesterday"}) {
    EXPECT_EQ(ParseTimestamp(text), 0) << text;
  }
}

class PgConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = testing::PostgresForTest();
    if (server_ == nullptr) GTEST_SKIP() << "PostgreSQL is not installed";
    url_ = server_->CreateDatabase();
    auto db = PgConnection::Open(url_, "'test'");
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
  }
  testing::PostgresServer* server_ = nullptr;
  std::string url_;
  std::unique_ptr<PgConnection> db_;
};

TEST_F(PgConnectionTest, TimesAndFlagsReadAndWriteAsIntegers) {
  ASSERT_TRUE(
      db_->Exec("CREATE TABLE t (id bigint, at timestamptz, flag boolean, note text)").ok());
  auto insert = db_->Prepare("INSERT INTO t (id, at, flag, note) VALUES (?, ?, ?, ?)");
  ASSERT_TRUE(insert.ok()) << insert.status().message();
  ASSERT_TRUE(insert->Bind(1, std::int64_t{7})
                  .Bind(2, std::int64_t{1'700'000'000})
                  .Bind(3, std::int64_t{1})
                  .Bind(4, std::string_view("it's"))
                  .Run()
                  .ok());
  EXPECT_EQ(db_->Changes(), 1);
  ASSERT_TRUE(
      insert->Bind(1, std::int64_t{8}).BindNull(2).Bind(3, std::int64_t{0}).BindNull(4).Run().ok());

  auto select = db_->Prepare("SELECT id, at, flag, note, at > ? FROM t ORDER BY id");
  ASSERT_TRUE(select.ok());
  select->Bind(1, std::int64_t{1'600'000'000});
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnInt(0), 7);
  EXPECT_EQ(select->ColumnInt(1), 1'700'000'000);
  EXPECT_EQ(select->ColumnInt(2), 1);
  EXPECT_EQ(select->ColumnText(3), "it's");
  EXPECT_EQ(select->ColumnInt(4), 1);
  ASSERT_TRUE(*select->Step());
  EXPECT_TRUE(select->ColumnIsNull(1));
  EXPECT_EQ(select->ColumnInt(2), 0);
  EXPECT_TRUE(select->ColumnIsNull(3));
  EXPECT_FALSE(*select->Step());

  // The column really is a timestamp that BI tools read as one.
  auto text = db_->Prepare("SELECT to_char(at, 'YYYY-MM-DD HH24:MI') FROM t WHERE id = 7");
  ASSERT_TRUE(text.ok() && *text->Step());
  EXPECT_EQ(text->ColumnText(0), "2023-11-14 22:13");
}

TEST_F(PgConnectionTest, BinaryRowsReadAsTheirTextWould) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE b (id bigint, small smallint, mid integer, flag boolean, "
                        "at timestamptz, local timestamp, note varchar(20))")
                  .ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO b VALUES "
                        "(1, -2, 70000, true, '2023-11-14 22:13:20.5+00', '2000-01-01 00:00:00', "
                        "'x'), "
                        "(-9000000000, 32767, -1, false, '1969-12-31 23:59:59.25+00', "
                        "'1999-12-31 23:59:59.000001', ''), "
                        "(3, NULL, NULL, NULL, 'infinity', '-infinity', NULL)")
                  .ok());
  // Every column's type reads in binary; a numeric column keeps the second query in text.
  const std::string columns = "id, small, mid, flag, at, local, note";
  auto binary = db_->Prepare("SELECT " + columns + " FROM b ORDER BY id");
  auto text = db_->Prepare("SELECT " + columns + ", 0::numeric FROM b ORDER BY id");
  ASSERT_TRUE(binary.ok() && text.ok());
  int rows = 0;
  for (;;) {
    auto more = binary->Step();
    ASSERT_TRUE(more.ok() && *text->Step() == *more);
    if (!*more) break;
    ++rows;
    for (int column = 0; column < 7; ++column) {
      EXPECT_EQ(binary->ColumnIsNull(column), text->ColumnIsNull(column)) << column;
      EXPECT_EQ(binary->ColumnText(column), text->ColumnText(column)) << rows << ", " << column;
      EXPECT_EQ(binary->ColumnInt(column), text->ColumnInt(column)) << rows << ", " << column;
    }
  }
  EXPECT_EQ(rows, 3);
}

TEST_F(PgConnectionTest, ErrorsSayWhatFailedAndTheConnectionRecovers) {
  auto bad = db_->Prepare("SELECT * FROM no_such_table");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("no_such_table"), std::string::npos);
  ASSERT_TRUE(db_->Begin().ok());
  EXPECT_FALSE(db_->Exec("SELECT 1/0").ok());
  db_->Rollback();
  EXPECT_TRUE(db_->Exec("SELECT 1").ok());
}

TEST_F(PgConnectionTest, ACommitAfterAFailedStatementIsAnErrorNotASilentRollback) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE kept (n integer)").ok());
  ASSERT_TRUE(db_->Begin().ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO kept VALUES (1)").ok());
  EXPECT_FALSE(db_->Exec("SELECT 1/0").ok());  // a caller that ignores this failure...
  const Status committed = db_->Commit();      // ...is told its writes are gone
  EXPECT_FALSE(committed.ok());
  EXPECT_NE(committed.message().find("rolled back"), std::string::npos) << committed.message();
  EXPECT_FALSE(db_->InTransaction());
  auto count = db_->Prepare("SELECT COUNT(*) FROM kept");
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->ColumnInt(0), 0);
}

TEST_F(PgConnectionTest, MigrationsApplyOnceAndANewerSchemaIsRefused) {
  auto applied = sql::Migrate(*db_, PostgresMigrations(), "'test'");
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  EXPECT_EQ(applied->size(), PostgresMigrations().size());
  auto again = sql::Migrate(*db_, PostgresMigrations(), "'test'");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  ASSERT_TRUE(
      db_->Exec("INSERT INTO schema_migrations (version, description) VALUES (999, 'x')").ok());
  auto newer = sql::Migrate(*db_, PostgresMigrations(), "'test'");
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.status().message().find("newer than this Leadline knows"), std::string::npos);
}

TEST_F(PgConnectionTest, AServerRestartIsSurvivedButNeverInTheMiddleOfATransaction) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE t (id bigint PRIMARY KEY, at timestamptz)").ok());
  auto insert = db_->PrepareCached("INSERT INTO t (id, at) VALUES (?, ?)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(insert->Bind(1, std::int64_t{1}).Bind(2, std::int64_t{100}).Run().ok());

  ASSERT_TRUE(db_->Begin().ok());
  auto again = db_->PrepareCached("INSERT INTO t (id, at) VALUES (?, ?)");
  ASSERT_TRUE(again->Bind(1, std::int64_t{2}).Bind(2, std::int64_t{200}).Run().ok());
  ASSERT_TRUE(server_->Stop());
  ASSERT_TRUE(server_->Start());
  // The transaction died with the connection: nothing of it goes on in a new session.
  auto third = db_->PrepareCached("INSERT INTO t (id, at) VALUES (?, ?)");
  const Status cut = third->Bind(1, std::int64_t{3}).Bind(2, std::int64_t{300}).Run();
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.code(), common::StatusCode::kUnavailable) << cut.message();
  EXPECT_FALSE(db_->Commit().ok());
  db_->Rollback();

  // After the rollback, the connection is made again and its statements prepared again.
  auto later = db_->PrepareCached("INSERT INTO t (id, at) VALUES (?, ?)");
  ASSERT_TRUE(later->Bind(1, std::int64_t{4}).Bind(2, std::int64_t{400}).Run().ok());
  auto rows = db_->Prepare("SELECT string_agg(id::text, ',' ORDER BY id) FROM t");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_TRUE(*rows->Step());
  EXPECT_EQ(rows->ColumnText(0), "1,4");
}

TEST_F(PgConnectionTest, AMissingDatabaseIsOneClearLine) {
  const std::string url =
      "postgres://leadline@127.0.0.1:" + std::to_string(server_->port()) + "/no_such_database";
  auto store = OpenPostgresStore(*ParseStoreUrl(url));
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("no_such_database"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(store.status().message().find('\n'), std::string::npos);
}

// Webhook bodies, stored inside the intake's commit, are compressed with LZ4 (PostgreSQL 15 as
// Debian builds it has it), not the slower default.
TEST_F(PgConnectionTest, WebhookBodiesAreCompressedWithLz4) {
  ASSERT_TRUE(MigrateStore(url_).ok());
  auto method = db_->Prepare(
      "SELECT attcompression FROM pg_attribute WHERE attrelid = 'webhook_bodies'::regclass AND "
      "attname = 'body'");
  ASSERT_TRUE(method.ok()) << method.status().message();
  ASSERT_TRUE(*method->Step());
  EXPECT_EQ(method->ColumnText(0), "l");
}

}  // namespace
}  // namespace leadline::store::postgres
