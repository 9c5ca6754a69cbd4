#include "store/sqlite/sqlite_db.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "store/sql/temp_store_test.h"

namespace leadline::store::sqlite {
namespace {

// A store made in a fresh folder per test; the tests open their own connections beside it.
class SqliteDbTest : public TempStoreTest {
 protected:
  std::string Path() const { return (dir_ / "leadline.db").string(); }
};

// sqlite:PATH?synchronous=full (store_url.h) reaches the connection; the default stays NORMAL.
TEST_P(SqliteDbTest, FlushingEveryCommitIsSynchronousFullTheDefaultNormal) {
  const auto synchronous = [](Database& db) {
    auto statement = db.Prepare("PRAGMA synchronous");
    EXPECT_TRUE(statement.ok() && *statement->Step());
    return statement->ColumnInt(0);
  };
  auto flushed = Database::Open(Path(), /*flush_every_commit=*/true);
  auto plain = Database::Open(Path());
  ASSERT_TRUE(flushed.ok() && plain.ok());
  EXPECT_EQ(synchronous(**flushed), 2);  // FULL
  EXPECT_EQ(synchronous(**plain), 1);    // NORMAL
}

// The webhook intake commits thousands of times a second while another connection checkpoints:
// the log must be reused, not grown by every commit.
TEST_P(SqliteDbTest, ALogUnderSteadyCommitsIsRestartedNotGrown) {
  auto writer = Database::Open(Path());
  auto checkpointer = Database::Open(Path());
  ASSERT_TRUE(writer.ok() && checkpointer.ok());
  ASSERT_TRUE((*writer)->Exec("PRAGMA wal_autocheckpoint=0; CREATE TABLE t (x BLOB)").ok());

  // Each commit adds two pages to the log: 24 MiB if it were never restarted. The writer lets
  // at most kCommitsPerCheckpoint commits pass between the starts of two checkpoints (it waits
  // for the next to start, however slowly a loaded machine schedules the checkpointer): at most
  // some 800 KiB of log between them, so the log stays small only if checkpoints restart it.
  constexpr int kCommits = 3000;
  constexpr int kCommitsPerCheckpoint = 100;
  std::atomic<bool> writing = true;
  std::atomic<int> checkpoints = 0;
  std::thread commit_steadily([&] {
    for (int i = 0; i < kCommits; ++i) {
      EXPECT_TRUE((*writer)->Exec("INSERT INTO t VALUES (randomblob(4000))").ok());
      usleep(50);
      if (i % kCommitsPerCheckpoint != kCommitsPerCheckpoint - 1) continue;
      const int seen = checkpoints.load();
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (checkpoints.load() == seen && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::yield();
      }
    }
    writing = false;
  });
  constexpr int kRestartPages = 256;  // 1 MiB
  while (writing) {
    // Counted as it starts, so that the writer goes on writing during the checkpoint, which
    // then cannot catch up with it without a restart.
    ++checkpoints;
    EXPECT_TRUE((*checkpointer)->Checkpoint(kRestartPages, std::chrono::milliseconds(10)).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  commit_steadily.join();

  EXPECT_LT(std::filesystem::file_size(Path() + "-wal"), 8u << 20);
  auto count = (*writer)->Prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(count.ok() && *count->Step());
  EXPECT_EQ(count->ColumnInt(0), kCommits);
}

TEST_P(SqliteDbTest, ACheckpointThatCannotWaitLongEnoughIsNotAnError) {
  auto writer = Database::Open(Path());
  auto reader = Database::Open(Path());
  ASSERT_TRUE(writer.ok() && reader.ok());
  ASSERT_TRUE((*writer)->Exec("PRAGMA wal_autocheckpoint=0; CREATE TABLE t (x BLOB)").ok());
  ASSERT_TRUE((*writer)->Exec("INSERT INTO t VALUES (randomblob(100000))").ok());
  // A reader in the middle of a read keeps the log from being restarted.
  ASSERT_TRUE((*reader)->Exec("BEGIN").ok());
  auto read = (*reader)->Prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(read.ok() && *read->Step());
  ASSERT_TRUE((*writer)->Exec("INSERT INTO t VALUES (randomblob(100000))").ok());

  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE((*writer)->Checkpoint(1, std::chrono::milliseconds(5)).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  read->Reset();
  EXPECT_TRUE((*reader)->Exec("COMMIT").ok());
  EXPECT_TRUE(
      (*writer)->Exec("INSERT INTO t VALUES (1)").ok());  // writers are not held up after it
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteDbTest, ::testing::Values(sql::Engine::kSqlite));

}  // namespace
}  // namespace leadline::store::sqlite
