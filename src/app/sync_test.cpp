// How many repositories `leadline sync` syncs at once by default on each engine.
#include "app/sync.h"

#include <gtest/gtest.h>

namespace leadline::app {
namespace {

TEST(DefaultSyncJobs, SeveralOnPostgresOneOnSqlite) {
  EXPECT_EQ(DefaultSyncJobs("postgres://leadline@db.internal:5432/leadline"), kDefaultSyncJobs);
  EXPECT_EQ(DefaultSyncJobs("postgresql://leadline@db.internal/leadline?sslmode=require"),
            kDefaultSyncJobs);
  EXPECT_EQ(DefaultSyncJobs("/var/lib/leadline/leadline.db"), 1);
  EXPECT_EQ(DefaultSyncJobs("sqlite:leadline.db"), 1);
  EXPECT_GT(kDefaultSyncJobs, 1);
}

}  // namespace
}  // namespace leadline::app
