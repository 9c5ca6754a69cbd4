#include "engine/commit_graph.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "testing/hex_id.h"

namespace leadline::engine {
namespace {

using common::ObjectId;
using common::Status;
using common::StatusCode;

// A deterministic, unique 40-digit id for the n-th commit: 24 scrambled digits (so that ids do not
// sort in creation order) followed by n itself in 16 digits (so that ids never collide).
using leadline::testing::HexId;

// A tiny graph DSL: commits are named, parents are listed by name.
class Dag {
 public:
  // Adds `name` with `parents` (names; unknown names become missing parents).
  void Add(const std::string& name, const std::vector<std::string>& parents,
           common::UnixSeconds author_time = 0, common::UnixSeconds committer_time = 0) {
    std::string parent_hex;
    for (const std::string& p : parents) {
      if (!parent_hex.empty()) parent_hex += ' ';
      parent_hex += Hex(p);
    }
    ASSERT_TRUE(builder_.Add(Hex(name), parent_hex, author_time, committer_time).ok());
  }

  CommitGraph Build() {
    auto graph = builder_.Build();
    EXPECT_TRUE(graph.ok()) << graph.status().message();
    return std::move(graph).value();
  }

  const std::string& Hex(const std::string& name) {
    auto [it, inserted] = ids_.try_emplace(name);
    if (inserted) it->second = HexId(ids_.size());
    return it->second;
  }
  ObjectId Id(const std::string& name) { return *ObjectId::FromHex(Hex(name)); }
  CommitGraphBuilder& builder() { return builder_; }

 private:
  CommitGraphBuilder builder_;
  std::map<std::string, std::string> ids_;
};

std::vector<CommitIndex> Parents(const CommitGraph& graph, CommitIndex c) {
  return {graph.parents(c).begin(), graph.parents(c).end()};
}

TEST(CommitGraphTest, EmptyInputBuildsAnEmptyGraph) {
  Dag dag;
  const CommitGraph graph = dag.Build();
  EXPECT_EQ(graph.size(), 0u);
  EXPECT_EQ(graph.missing_parent_count(), 0u);
  EXPECT_EQ(graph.FindByPrefix("abcd"), kNoCommit);
}

TEST(CommitGraphTest, OrdersCommitsTopologicallyWhateverTheInputOrder) {
  //   A - B - C - M
  //    \         /
  //     D ------
  // Added children first, so the builder must reorder.
  Dag dag;
  dag.Add("M", {"C", "D"}, 50, 51);
  dag.Add("D", {"A"}, 40, 41);
  dag.Add("C", {"B"}, 30, 31);
  dag.Add("B", {"A"}, 20, 21);
  dag.Add("A", {}, 10, 11);
  const CommitGraph graph = dag.Build();
  ASSERT_EQ(graph.size(), 5u);
  for (CommitIndex c = 0; c < graph.size(); ++c) {
    for (CommitIndex p : graph.parents(c)) EXPECT_LT(p, c) << "commit " << c;
  }
  const CommitIndex a = graph.Find(dag.Id("A"));
  const CommitIndex b = graph.Find(dag.Id("B"));
  const CommitIndex c = graph.Find(dag.Id("C"));
  const CommitIndex d = graph.Find(dag.Id("D"));
  const CommitIndex m = graph.Find(dag.Id("M"));
  // A is the only root, so it comes first; M is the only tip, so it comes last.
  EXPECT_EQ(a, 0u);
  EXPECT_EQ(m, 4u);
  EXPECT_LT(b, c);
  EXPECT_EQ(Parents(graph, m), (std::vector<CommitIndex>{c, d}));
}

TEST(CommitGraphTest, KeepsParentListsInOrderWithTimes) {
  Dag dag;
  dag.Add("A", {}, 10, 11);
  dag.Add("B", {"A"}, 20, 21);
  dag.Add("D", {"A"}, 40, 41);
  dag.Add("M", {"B", "D"}, 50, 51);
  dag.Add("N", {"D", "B"}, 60, 61);       // the same parents, the other way round
  dag.Add("O", {"A", "B", "D"}, 70, 71);  // an octopus merge
  const CommitGraph graph = dag.Build();
  const CommitIndex a = graph.Find(dag.Id("A"));
  const CommitIndex b = graph.Find(dag.Id("B"));
  const CommitIndex d = graph.Find(dag.Id("D"));
  const CommitIndex m = graph.Find(dag.Id("M"));
  const CommitIndex n = graph.Find(dag.Id("N"));
  const CommitIndex o = graph.Find(dag.Id("O"));
  EXPECT_TRUE(Parents(graph, a).empty());
  EXPECT_EQ(Parents(graph, b), std::vector<CommitIndex>{a});
  EXPECT_EQ(Parents(graph, m), (std::vector<CommitIndex>{b, d}));  // first parent first
  EXPECT_EQ(Parents(graph, n), (std::vector<CommitIndex>{d, b}));
  EXPECT_EQ(Parents(graph, o), (std::vector<CommitIndex>{a, b, d}));
  EXPECT_FALSE(graph.is_merge(a));
  EXPECT_FALSE(graph.is_merge(b));
  EXPECT_TRUE(graph.is_merge(m));
  EXPECT_TRUE(graph.is_merge(o));
  EXPECT_EQ(graph.author_time(m), 50);
  EXPECT_EQ(graph.committer_time(m), 51);
  EXPECT_EQ(graph.author_time(a), 10);
  EXPECT_EQ(graph.committer_time(a), 11);
  EXPECT_EQ(graph.id(m), dag.Id("M"));
}

TEST(CommitGraphTest, MapsInputPositionsToIndices) {
  Dag dag;
  dag.Add("B", {"A"});  // position 0
  dag.Add("A", {});     // position 1
  const CommitGraph graph = dag.Build();
  // A is B's parent, so A gets index 0 and B index 1.
  EXPECT_EQ(dag.builder().input_to_index(0), 1u);
  EXPECT_EQ(dag.builder().input_to_index(1), 0u);
  EXPECT_EQ(graph.id(1), dag.Id("B"));
}

TEST(CommitGraphTest, KeepsDuplicateIdsOnce) {
  Dag dag;
  dag.Add("A", {}, 10, 10);     // position 0
  dag.Add("B", {"A"}, 20, 20);  // position 1
  dag.Add("A", {}, 10, 10);     // position 2: the same commit again
  dag.Add("C", {"B"}, 30, 30);  // position 3
  dag.Add("B", {"A"}, 20, 20);  // position 4
  const CommitGraph graph = dag.Build();
  EXPECT_EQ(graph.size(), 3u);  // A, B, C
  EXPECT_EQ(graph.missing_parent_count(), 0u);
  const CommitIndex a = graph.Find(dag.Id("A"));
  const CommitIndex b = graph.Find(dag.Id("B"));
  // One copy of each maps to the commit, the other to kNoCommit.
  const CommitIndex a0 = dag.builder().input_to_index(0);
  const CommitIndex a2 = dag.builder().input_to_index(2);
  EXPECT_TRUE((a0 == a && a2 == kNoCommit) || (a0 == kNoCommit && a2 == a));
  const CommitIndex b1 = dag.builder().input_to_index(1);
  const CommitIndex b4 = dag.builder().input_to_index(4);
  EXPECT_TRUE((b1 == b && b4 == kNoCommit) || (b1 == kNoCommit && b4 == b));
  // The parent lists are not doubled.
  EXPECT_EQ(Parents(graph, b), std::vector<CommitIndex>{a});
}

TEST(CommitGraphTest, CountsMissingParentsAndTreatsTheirChildrenAsRoots) {
  // A shallow history: B's parent X and C's second parent Y were not fetched.
  Dag dag;
  dag.Add("B", {"X"});
  dag.Add("C", {"B", "Y"});
  const CommitGraph graph = dag.Build();
  EXPECT_EQ(graph.size(), 2u);
  EXPECT_EQ(graph.missing_parent_count(), 2u);  // X and Y
  const CommitIndex b = graph.Find(dag.Id("B"));
  const CommitIndex c = graph.Find(dag.Id("C"));
  EXPECT_TRUE(Parents(graph, b).empty());
  EXPECT_EQ(Parents(graph, c), std::vector<CommitIndex>{b});
  EXPECT_FALSE(graph.is_merge(c));  // only one of its parents is in the graph
  EXPECT_EQ(graph.Find(dag.Id("X")), kNoCommit);
}

TEST(CommitGraphTest, RejectsBadIds) {
  CommitGraphBuilder builder;
  const Status not_hex = builder.Add(std::string(39, 'a') + "g", "", 0, 0);
  EXPECT_EQ(not_hex.code(), StatusCode::kInvalidArgument);
  const Status too_short = builder.Add("abcd", "", 0, 0);
  EXPECT_EQ(too_short.code(), StatusCode::kInvalidArgument);
  const Status bad_parent = builder.Add(std::string(40, 'a'), std::string(40, 'b') + " 1234", 0, 0);
  EXPECT_EQ(bad_parent.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_parent.message().find("1234"), std::string::npos) << bad_parent.message();
}

TEST(CommitGraphTest, RejectsACycle) {
  Dag dag;
  dag.Add("A", {"B"});
  dag.Add("B", {"A"});
  auto graph = dag.builder().Build();
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.status().code(), StatusCode::kFailedPrecondition);
}

// Three commits with hand-picked ids for the prefix lookups.
class FindByPrefixTest : public ::testing::Test {
 protected:
  static constexpr char kFirst[] = "abcd0123456789abcdef0123456789abcdef0123";
  static constexpr char kSecond[] = "abcd4567456789abcdef0123456789abcdef0123";
  static constexpr char kThird[] = "ef01000000000000000000000000000000000000";

  void SetUp() override {
    CommitGraphBuilder builder;
    ASSERT_TRUE(builder.Add(kFirst, "", 1, 1).ok());
    ASSERT_TRUE(builder.Add(kSecond, kFirst, 2, 2).ok());
    ASSERT_TRUE(builder.Add(kThird, kSecond, 3, 3).ok());
    auto built = builder.Build();
    ASSERT_TRUE(built.ok());
    graph_ = std::move(built).value();
    // A linear history: kFirst, kSecond, kThird get indices 0, 1, 2.
  }

  CommitGraph graph_;
};

TEST_F(FindByPrefixTest, FindsFullIds) {
  EXPECT_EQ(graph_.Find(*ObjectId::FromHex(kFirst)), 0u);
  EXPECT_EQ(graph_.Find(*ObjectId::FromHex(kThird)), 2u);
  EXPECT_EQ(graph_.Find(*ObjectId::FromHex(std::string(40, '0'))), kNoCommit);
  EXPECT_EQ(graph_.FindByPrefix(kSecond), 1u);
  EXPECT_EQ(graph_.FindByPrefix(std::string(40, 'f')), kNoCommit);
}

TEST_F(FindByPrefixTest, FindsUniqueAbbreviations) {
  bool ambiguous = true;
  EXPECT_EQ(graph_.FindByPrefix("abcd0", &ambiguous), 0u);
  EXPECT_FALSE(ambiguous);
  EXPECT_EQ(graph_.FindByPrefix("abcd4567", &ambiguous), 1u);
  EXPECT_FALSE(ambiguous);
  EXPECT_EQ(graph_.FindByPrefix("ef01"), 2u);      // exactly 4 digits, the minimum
  EXPECT_EQ(graph_.FindByPrefix("ABCD0123"), 0u);  // either case
  // Bitbucket Cloud's 12-digit abbreviation.
  EXPECT_EQ(graph_.FindByPrefix(std::string_view(kSecond).substr(0, 12)), 1u);
  // 39 digits: one short of a full id.
  EXPECT_EQ(graph_.FindByPrefix(std::string_view(kThird).substr(0, 39)), 2u);
}

TEST_F(FindByPrefixTest, ReportsAmbiguousPrefixes) {
  bool ambiguous = false;
  // "abcd" starts both kFirst and kSecond.
  EXPECT_EQ(graph_.FindByPrefix("abcd", &ambiguous), kNoCommit);
  EXPECT_TRUE(ambiguous);
  EXPECT_EQ(graph_.FindByPrefix("abcd", nullptr), kNoCommit);  // the flag is optional
}

TEST_F(FindByPrefixTest, RejectsUnknownShortAndNonHexPrefixes) {
  bool ambiguous = true;
  EXPECT_EQ(graph_.FindByPrefix("abcd9", &ambiguous), kNoCommit);  // sorts between, no match
  EXPECT_FALSE(ambiguous);
  EXPECT_EQ(graph_.FindByPrefix("0000"), kNoCommit);  // before every id
  EXPECT_EQ(graph_.FindByPrefix("ffff"), kNoCommit);  // after every id
  ambiguous = true;
  EXPECT_EQ(graph_.FindByPrefix("ef0", &ambiguous), kNoCommit);  // 3 digits: too short
  EXPECT_FALSE(ambiguous);
  EXPECT_EQ(graph_.FindByPrefix("abc", &ambiguous), kNoCommit);  // too short, even if ambiguous
  EXPECT_FALSE(ambiguous);
  EXPECT_EQ(graph_.FindByPrefix(""), kNoCommit);
  EXPECT_EQ(graph_.FindByPrefix("abcg"), kNoCommit);  // not hex
  EXPECT_EQ(graph_.FindByPrefix("ef01 "), kNoCommit);
  EXPECT_EQ(graph_.FindByPrefix(std::string(kFirst) + "0"), kNoCommit);  // 41 digits
}

TEST(CommitGraphTest, StaysUnder64BytesPerCommitOnALargeGraph) {
  // 10,000 commits: a main line where, in every group of ten, commit 5 is a side commit branched
  // from commit 4 and commit 6 merges it (parents 4 and 5).
  constexpr std::uint64_t kCommits = 10000;
  CommitGraphBuilder builder;
  builder.Reserve(kCommits);
  for (std::uint64_t i = 0; i < kCommits; ++i) {
    std::string parents;
    if (i % 10 == 6) {
      parents = HexId(i - 2) + " " + HexId(i - 1);
    } else if (i > 0) {
      parents = HexId(i - 1);
    }
    const auto t = static_cast<common::UnixSeconds>(i);
    ASSERT_TRUE(builder.Add(HexId(i), parents, t, t).ok());
  }
  auto built = builder.Build();
  ASSERT_TRUE(built.ok());
  const CommitGraph& graph = *built;
  ASSERT_EQ(graph.size(), static_cast<std::size_t>(kCommits));
  EXPECT_EQ(graph.missing_parent_count(), 0u);
  std::size_t merges = 0;
  for (CommitIndex c = 0; c < graph.size(); ++c) {
    for (CommitIndex p : graph.parents(c)) ASSERT_LT(p, c);
    merges += graph.is_merge(c) ? 1 : 0;
  }
  EXPECT_EQ(merges, 1000u);  // one per group of ten
  // Edges: 9,999 first parents + 1,000 second parents = 10,999, 1.1 per commit.
  // 20 (id) + 8 + 8 (times) + 4 (parent offset) + 4 (by-id index) + 4.4 (parents) = 48.4 bytes.
  EXPECT_LE(graph.MemoryBytes(), 64u * graph.size());
  EXPECT_GE(graph.MemoryBytes(), 44u * graph.size());  // it does count the arrays
}

}  // namespace
}  // namespace leadline::engine
