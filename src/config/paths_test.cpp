#include "config/paths.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace leadline::config {
namespace {

// Clears the two variables for one test and restores them after.
class PathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Save("LEADLINE_STORE", &store_);
    Save("LEADLINE_DATA_DIR", &data_dir_);
  }
  void TearDown() override {
    Restore("LEADLINE_STORE", store_);
    Restore("LEADLINE_DATA_DIR", data_dir_);
  }

 private:
  static void Save(const char* name, std::string* into) {
    const char* value = getenv(name);
    *into = value == nullptr ? "\x01" : value;
    unsetenv(name);
  }
  static void Restore(const char* name, const std::string& value) {
    if (value == "\x01") {
      unsetenv(name);
    } else {
      setenv(name, value.c_str(), 1);
    }
  }
  std::string store_, data_dir_;
};

TEST_F(PathsTest, ASqliteStoreKeepsItsThingsBesideItAsBefore) {
  const Paths paths = *ResolvePaths("", "/var/lib/leadline/leadline.db", "");
  EXPECT_EQ(paths.store, "/var/lib/leadline/leadline.db");
  EXPECT_EQ(paths.key_file, "/var/lib/leadline/leadline.db.key");
  EXPECT_EQ(paths.mirrors_dir, "/var/lib/leadline/leadline.db.mirrors");
  EXPECT_EQ(paths.snapshots_dir, "/var/lib/leadline/leadline.db.snapshots");
  EXPECT_EQ(paths.servers_dir, "/var/lib/leadline/leadline.db.servers");
  EXPECT_EQ(paths.settings_file, "/var/lib/leadline/leadline.toml");
  const Paths plain = *ResolvePaths("", "", "");
  EXPECT_EQ(plain.store, "leadline.db");
  EXPECT_EQ(plain.key_file, "leadline.db.key");
  EXPECT_EQ(plain.settings_file, "leadline.toml");
  EXPECT_EQ(ResolvePaths("sqlite:data/x.db", "", "")->key_file, "data/x.db.key");
  const Paths flushed = *ResolvePaths("sqlite:data/x.db?synchronous=full", "", "");
  EXPECT_EQ(flushed.store, "sqlite:data/x.db?synchronous=full");
  EXPECT_EQ(flushed.key_file, "data/x.db.key");
  EXPECT_EQ(flushed.snapshots_dir, "data/x.db.snapshots");
}

TEST_F(PathsTest, ADataDirectoryHoldsTheKeyTheMirrorsAndTheSettings) {
  const Paths paths = *ResolvePaths("postgres://leadline@db/leadline", "", "/srv/leadline");
  EXPECT_EQ(paths.store, "postgres://leadline@db/leadline");
  EXPECT_EQ(paths.key_file, "/srv/leadline/leadline.key");
  EXPECT_EQ(paths.mirrors_dir, "/srv/leadline/mirrors");
  EXPECT_EQ(paths.snapshots_dir, "/srv/leadline/snapshots");
  EXPECT_EQ(paths.servers_dir, "/srv/leadline/servers");
  EXPECT_EQ(paths.settings_file, "/srv/leadline/leadline.toml");
  // PostgreSQL without one: the current folder, never a path made from the URL.
  const Paths here = *ResolvePaths("postgres://leadline@db/leadline", "", "");
  EXPECT_EQ(here.key_file, "./leadline.key");
}

TEST_F(PathsTest, TheEnvironmentNamesTheStoreAndTheDataDirectoryWhenNoFlagDoes) {
  setenv("LEADLINE_STORE", "postgres://leadline@db/leadline", 1);
  setenv("LEADLINE_DATA_DIR", "/srv/leadline", 1);
  EXPECT_EQ(ResolvePaths("", "", "")->store, "postgres://leadline@db/leadline");
  EXPECT_EQ(ResolvePaths("", "", "")->key_file, "/srv/leadline/leadline.key");
  EXPECT_EQ(ResolvePaths("", "mine.db", "/elsewhere")->store, "mine.db");  // flags win
  EXPECT_EQ(ResolvePaths("", "mine.db", "/elsewhere")->key_file, "/elsewhere/leadline.key");
}

TEST_F(PathsTest, StoreAndDbTogetherAreRefused) {
  auto both = ResolvePaths("sqlite:a.db", "b.db", "");
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.status().message().find("--store or --db"), std::string::npos);
}

}  // namespace
}  // namespace leadline::config
