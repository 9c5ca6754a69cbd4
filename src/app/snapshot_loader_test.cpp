#include "app/snapshot_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "testing/git_script.h"

namespace leadline::app {
namespace {

using leadline::testing::TempDir;

std::string Sha(char c) { return std::string(40, c); }

model::Commit Commit(const std::string& sha, std::vector<std::string> parents,
                     common::UnixSeconds at, const std::string& message) {
  model::Commit commit;
  commit.sha = sha;
  commit.parents = std::move(parents);
  commit.author_time = at;
  commit.committer_time = at;
  commit.message = message;
  commit.author = {"Ann", "ann@example.com"};
  return commit;
}

class SnapshotCacheTest : public ::testing::Test {
 protected:
  SnapshotCacheTest() {
    store_ = std::move(store::OpenStore(dir_.Child("leadline.db"))).value();
    model::Repository repo;
    repo.source = "git";
    repo.location = "/src/app";
    repo.name = "app";
    repo_ = *store_->repositories().UpsertRepository(repo);
    EXPECT_EQ(
        *store_->history().InsertCommits(
            repo_, {Commit(Sha('a'), {}, 1000, "start"),
                    Commit(Sha('b'), {Sha('a')}, 2000, "Merged in hotfix/x (pull request #1)")}),
        2);
  }
  common::Result<engine::Snapshot> Load(const std::vector<std::string>& prefixes = {"hotfix/"}) {
    return LoadSnapshot(*store_, repo_, prefixes, cache_);
  }
  std::string File() const { return cache_ + "/" + std::to_string(repo_) + ".snapshot"; }

  TempDir dir_;
  std::string cache_ = dir_.Child("snapshots");
  std::unique_ptr<store::Store> store_;
  std::int64_t repo_ = 0;
};

TEST_F(SnapshotCacheTest, ASnapshotIsKeptAndReadBackWhileTheHistoryIsUnchanged) {
  auto built = Load();
  ASSERT_TRUE(built.ok()) << built.status().message();
  ASSERT_TRUE(std::filesystem::exists(File()));
  const auto written = std::filesystem::last_write_time(File());
  auto read = Load();
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->graph.size(), 2u);
  EXPECT_EQ(read->hotfix_merges.size(), 1u);
  EXPECT_EQ(std::filesystem::last_write_time(File()), written);  // read, not rebuilt
  // No temporary files left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(cache_),
                          std::filesystem::directory_iterator()),
            1);
}

TEST_F(SnapshotCacheTest, NewCommitsOrOtherPrefixesAreNeverAnsweredFromAnOldFile) {
  ASSERT_TRUE(Load().ok());
  ASSERT_EQ(*store_->history().InsertCommits(repo_, {Commit(Sha('c'), {Sha('b')}, 3000, "more")}),
            1);
  auto grown = Load();
  ASSERT_TRUE(grown.ok());
  EXPECT_EQ(grown->graph.size(), 3u);
  auto other_prefixes = Load({"fix/"});
  ASSERT_TRUE(other_prefixes.ok());
  EXPECT_TRUE(other_prefixes->hotfix_merges.empty());
  EXPECT_EQ(Load()->hotfix_merges.size(), 1u);
}

TEST_F(SnapshotCacheTest, ADamagedFileIsRebuiltAndReplaced) {
  ASSERT_TRUE(Load().ok());
  std::string bytes;
  {
    std::ifstream in(File(), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x33);
  std::ofstream(File(), std::ios::binary | std::ios::trunc) << bytes;
  auto rebuilt = Load();
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(rebuilt->graph.size(), 2u);
  // ... and the file is good again.
  std::string again;
  {
    std::ifstream in(File(), std::ios::binary);
    again.assign(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_NE(again, bytes);
}

}  // namespace
}  // namespace leadline::app
