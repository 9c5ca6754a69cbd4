#include "engine/snapshot_file.h"

#include <gtest/gtest.h>

#include "testing/snapshot_script.h"

namespace leadline::engine {
namespace {

constexpr common::UnixSeconds kHour = 3600;

// A history with a merge, a revert, a hotfix merge and two authors.
const Snapshot& Sample() {
  static testing::SnapshotScript* git = [] {
    auto* script = new testing::SnapshotScript();
    script->AuthoredBy("ann@example.com");
    script->Commit("A", {}, 0);
    script->Commit("f1", {"A"}, 1 * kHour);
    script->AuthoredBy("Bob@Example.com");
    script->Commit("M", {"A", "f1"}, 2 * kHour, std::nullopt,
                   "Merged in hotfix/login (pull request #7)");
    script->Commit("R", {"M"}, 3 * kHour, std::nullopt,
                   "Revert \"Change f1\"\n\nThis reverts commit " + script->Sha("f1") + ".");
    script->Build();
    return script;
  }();
  return git->snapshot();
}

TEST(SnapshotFile, ASnapshotReadBackIsTheSame) {
  const Snapshot& original = Sample();
  ASSERT_FALSE(original.reverts.empty());
  ASSERT_FALSE(original.hotfix_merges.empty());
  const std::string bytes = EncodeSnapshot(original, "v1\nhotfix/");
  const auto read = DecodeSnapshot(bytes, "v1\nhotfix/");
  ASSERT_TRUE(read.ok()) << read.status().message();
  const CommitGraph& a = original.graph;
  const CommitGraph& b = read->graph;
  ASSERT_EQ(a.size(), b.size());
  for (CommitIndex c = 0; c < a.size(); ++c) {
    EXPECT_EQ(a.id(c), b.id(c));
    EXPECT_EQ(a.author_time(c), b.author_time(c));
    EXPECT_EQ(a.committer_time(c), b.committer_time(c));
    EXPECT_EQ(std::vector<CommitIndex>(a.parents(c).begin(), a.parents(c).end()),
              std::vector<CommitIndex>(b.parents(c).begin(), b.parents(c).end()));
    EXPECT_EQ(b.Find(a.id(c)), c);  // the lookup index came along
  }
  EXPECT_EQ(read->reverts.size(), original.reverts.size());
  EXPECT_EQ(read->reverts[0].reverted, original.reverts[0].reverted);
  ASSERT_EQ(read->hotfix_merges.size(), original.hotfix_merges.size());
  EXPECT_EQ(read->hotfix_merges[0].branch, original.hotfix_merges[0].branch);
  EXPECT_EQ(read->names_merged_branch, original.names_merged_branch);
  EXPECT_EQ(read->author_emails, original.author_emails);
  EXPECT_EQ(read->author_email_of, original.author_email_of);
  EXPECT_EQ(read->unresolved_reverts, original.unresolved_reverts);
}

TEST(SnapshotFile, AnotherKeyAFormatOrDamageIsRefused) {
  const std::string bytes = EncodeSnapshot(Sample(), "v1");
  EXPECT_EQ(DecodeSnapshot(bytes, "v2").status().code(), common::StatusCode::kNotFound);
  EXPECT_EQ(DecodeSnapshot("not a snapshot at all", "v1").status().code(),
            common::StatusCode::kNotFound);
  EXPECT_FALSE(DecodeSnapshot("", "v1").ok());
  // Every truncation and every flipped byte after the key is refused, never read.
  for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
    EXPECT_FALSE(DecodeSnapshot(bytes.substr(0, cut), "v1").ok()) << cut;
  }
  for (std::size_t at = 40; at < bytes.size(); ++at) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
    EXPECT_FALSE(DecodeSnapshot(damaged, "v1").ok()) << at;
  }
}

}  // namespace
}  // namespace leadline::engine
