#include "engine/attribution.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "testing/hex_id.h"

namespace leadline::engine {
namespace {

using common::kDay;
using common::kHour;
using common::UnixSeconds;

constexpr UnixSeconds kT0 = 1704067200;  // 2024-01-01T00:00:00Z
constexpr common::Seconds kLookback = 90 * kDay;
constexpr std::uint32_t kNone = Attribution::kNoDeployment;

using leadline::testing::HexId;

// A tiny graph DSL: named commits with parents by name and times; then deployments by name.
class Dag {
 public:
  // `committed` is the committer time; the author time defaults to it.
  void Add(const std::string& name, const std::vector<std::string>& parents, UnixSeconds committed,
           std::optional<UnixSeconds> authored = std::nullopt) {
    std::string parent_hex;
    for (const std::string& p : parents) {
      ASSERT_TRUE(ids_.contains(p)) << "add " << p << " before " << name;
      parent_hex += (parent_hex.empty() ? "" : " ") + ids_.at(p);
    }
    const std::string hex = HexId(ids_.size());
    ids_.emplace(name, hex);
    ASSERT_TRUE(builder_.Add(hex, parent_hex, authored.value_or(committed), committed).ok());
  }

  void Build() {
    auto graph = builder_.Build();
    ASSERT_TRUE(graph.ok()) << graph.status().message();
    graph_ = std::move(graph).value();
    for (const auto& [name, hex] : ids_) names_[graph_.FindByPrefix(hex)] = name;
  }

  const CommitGraph& graph() const { return graph_; }
  CommitIndex operator[](const std::string& name) const {
    return graph_.FindByPrefix(ids_.at(name));
  }

  DeploymentPoint Deploy(const std::string& name, UnixSeconds finished, bool success = true) const {
    return {(*this)[name], finished, success};
  }

  std::set<std::string> Names(const std::vector<CommitIndex>& commits) const {
    std::set<std::string> out;
    for (CommitIndex c : commits) out.insert(names_.at(c));
    return out;
  }

  std::uint32_t Count(const std::string& include, const std::string& exclude) const {
    std::vector<std::uint8_t> scratch(graph_.size(), 0);
    const CommitIndex ex = exclude.empty() ? kNoCommit : (*this)[exclude];
    const std::uint32_t count = CountReachableExcluding(graph_, (*this)[include], ex, scratch);
    EXPECT_EQ(std::count(scratch.begin(), scratch.end(), 0),
              static_cast<std::ptrdiff_t>(scratch.size()))
        << "scratch must be returned zeroed";
    return count;
  }

 private:
  CommitGraphBuilder builder_;
  CommitGraph graph_;
  std::map<std::string, std::string> ids_;
  std::map<CommitIndex, std::string> names_;
};

using Names = std::set<std::string>;

UnixSeconds Hours(double h) { return kT0 + static_cast<UnixSeconds>(h * kHour); }
UnixSeconds Days(double d) { return kT0 + static_cast<UnixSeconds>(d * kDay); }

TEST(AttributionTest, LinearHistory) {
  // A - B - C - D - E, one commit an hour; v1 deploys C, v2 deploys E.
  Dag dag;
  dag.Add("A", {}, Hours(1));
  dag.Add("B", {"A"}, Hours(2));
  dag.Add("C", {"B"}, Hours(3));
  dag.Add("D", {"C"}, Hours(4));
  dag.Add("E", {"D"}, Hours(5));
  dag.Build();
  const std::vector<DeploymentPoint> points = {dag.Deploy("C", Hours(3.5)),
                                               dag.Deploy("E", Hours(5.5))};
  const Attribution out = AttributeChanges(dag.graph(), points, kLookback);
  ASSERT_EQ(out.deployments.size(), 2u);
  // v1: the first deployment; A, B, C all landed within 90 days before it.
  EXPECT_EQ(out.deployments[0].change_count, 3u);
  EXPECT_TRUE(out.deployments[0].lookback_applied);
  EXPECT_EQ(dag.Names(out.deployments[0].credited), (Names{"A", "B", "C"}));
  EXPECT_EQ(out.deployments[0].beyond_lookback, 0u);
  // v2: rev-list E ^C = {D, E}.
  EXPECT_EQ(out.deployments[1].change_count, 2u);
  EXPECT_FALSE(out.deployments[1].lookback_applied);
  EXPECT_EQ(dag.Names(out.deployments[1].credited), (Names{"D", "E"}));
  ASSERT_EQ(out.shipped_by.size(), 5u);
  EXPECT_EQ(out.shipped_by[dag["A"]], 0u);
  EXPECT_EQ(out.shipped_by[dag["C"]], 0u);
  EXPECT_EQ(out.shipped_by[dag["D"]], 1u);
  EXPECT_EQ(out.shipped_by[dag["E"]], 1u);
}

TEST(AttributionTest, UndeployedCommitsAreNotShipped) {
  Dag dag;
  dag.Add("A", {}, Hours(1));
  dag.Add("B", {"A"}, Hours(2));
  dag.Build();
  const std::vector<DeploymentPoint> points = {dag.Deploy("A", Hours(1.5))};
  const Attribution out = AttributeChanges(dag.graph(), points, kLookback);
  EXPECT_EQ(out.shipped_by[dag["A"]], 0u);
  EXPECT_EQ(out.shipped_by[dag["B"]], kNone);
}

TEST(AttributionTest, FeatureBranchMergedBetweenDeployments) {
  //   A - B ------- C - M      main; the first deployment ships B, the second M
  //    \               /
  //     F1 - F2 -------        a feature branch started before the first deployment
  Dag dag;
  dag.Add("A", {}, Hours(1));
  dag.Add("F1", {"A"}, Hours(2));
  dag.Add("B", {"A"}, Hours(3));
  dag.Add("F2", {"F1"}, Hours(4));
  dag.Add("C", {"B"}, Hours(5));
  dag.Add("M", {"C", "F2"}, Hours(6));
  dag.Build();
  const std::vector<DeploymentPoint> points = {dag.Deploy("B", Hours(3.5)),
                                               dag.Deploy("M", Hours(6.5))};
  const Attribution out = AttributeChanges(dag.graph(), points, kLookback);
  // First: {A, B}.
  EXPECT_EQ(out.deployments[0].change_count, 2u);
  EXPECT_EQ(dag.Names(out.deployments[0].credited), (Names{"A", "B"}));
  // rev-list --count M ^B: {M, C, F2, F1, B, A} \ {B, A} = {C, F1, F2, M} = 4, merge included.
  EXPECT_EQ(out.deployments[1].change_count, 4u);
  EXPECT_EQ(dag.Names(out.deployments[1].credited), (Names{"C", "F1", "F2", "M"}));
  // F1 was committed before the first deployment but not reachable from it.
  EXPECT_EQ(out.shipped_by[dag["F1"]], 1u);
}

TEST(AttributionTest, CountReachableExcludingMatchesRevListCount) {
  // The same graph as above.
  Dag dag;
  dag.Add("A", {}, Hours(1));
  dag.Add("F1", {"A"}, Hours(2));
  dag.Add("B", {"A"}, Hours(3));
  dag.Add("F2", {"F1"}, Hours(4));
  dag.Add("C", {"B"}, Hours(5));
  dag.Add("M", {"C", "F2"}, Hours(6));
  dag.Build();
  EXPECT_EQ(dag.Count("M", "B"), 4u);   // {C, F1, F2, M}
  EXPECT_EQ(dag.Count("B", "M"), 0u);   // B is an ancestor of M
  EXPECT_EQ(dag.Count("M", "M"), 0u);   // the same commit
  EXPECT_EQ(dag.Count("M", ""), 6u);    // no exclusion: all six commits
  EXPECT_EQ(dag.Count("F2", "C"), 2u);  // {A, F1, F2} \ {A, B, C} = {F1, F2}
  EXPECT_EQ(dag.Count("C", "F2"), 2u);  // {A, B, C} \ {A, F1, F2} = {B, C}
  EXPECT_EQ(dag.Count("A", ""), 1u);
}

TEST(AttributionTest, CrissCrossMerges) {
  //   A - B - C - E - M     main; C merges X
  //    \    X       /
  //     X ----- Y - Z      branch; Y merges B
  Dag dag;
  dag.Add("A", {}, Hours(1));
  dag.Add("B", {"A"}, Hours(2));
  dag.Add("X", {"A"}, Hours(3));
  dag.Add("C", {"B", "X"}, Hours(4));
  dag.Add("Y", {"X", "B"}, Hours(5));
  dag.Add("E", {"C"}, Hours(6));
  dag.Add("Z", {"Y"}, Hours(7));
  dag.Add("M", {"E", "Z"}, Hours(8));
  dag.Build();
  const std::vector<DeploymentPoint> points = {
      dag.Deploy("C", Hours(4.5)), dag.Deploy("Y", Hours(5.5)), dag.Deploy("M", Hours(8.5))};
  const Attribution out = AttributeChanges(dag.graph(), points, kLookback);
  // C: {A, B, X, C}.
  EXPECT_EQ(out.deployments[0].change_count, 4u);
  EXPECT_EQ(dag.Names(out.deployments[0].credited), (Names{"A", "B", "C", "X"}));
  // Y ^C: {A, B, X, Y} \ {A, B, X, C} = {Y}.
  EXPECT_EQ(out.deployments[1].change_count, 1u);
  EXPECT_EQ(dag.Names(out.deployments[1].credited), (Names{"Y"}));
  // M ^Y: {A, B, X, C, Y, E, Z, M} \ {A, B, X, Y} = {C, E, Z, M} = 4; C was already shipped by
  // the first deployment, so only E, Z and M are credited.
  EXPECT_EQ(out.deployments[2].change_count, 4u);
  EXPECT_EQ(dag.Names(out.deployments[2].credited), (Names{"E", "M", "Z"}));
  EXPECT_EQ(out.shipped_by[dag["C"]], 0u);
}

TEST(AttributionTest, TagOnAReleaseBranchThenMainLineDeployment) {
  //   A - B - C - D - M     main
  //        \         /
  //         R1 -----        release/1.0 with a fix, tagged and deployed first
  Dag dag;
  dag.Add("A", {}, Hours(1));
  dag.Add("B", {"A"}, Hours(2));
  dag.Add("C", {"B"}, Hours(3));
  dag.Add("R1", {"B"}, Hours(4));
  dag.Add("D", {"C"}, Hours(5));
  dag.Add("M", {"D", "R1"}, Hours(7));
  dag.Build();
  const std::vector<DeploymentPoint> points = {
      dag.Deploy("R1", Hours(4.5)), dag.Deploy("D", Hours(6)), dag.Deploy("M", Hours(8))};
  const Attribution out = AttributeChanges(dag.graph(), points, kLookback);
  // v1.0.1 at R1: {A, B, R1}.
  EXPECT_EQ(out.deployments[0].change_count, 3u);
  EXPECT_EQ(dag.Names(out.deployments[0].credited), (Names{"A", "B", "R1"}));
  // main at D: {A, B, C, D} \ {A, B, R1} = {C, D}.
  EXPECT_EQ(out.deployments[1].change_count, 2u);
  EXPECT_EQ(dag.Names(out.deployments[1].credited), (Names{"C", "D"}));
  // The release branch merged back: M ^D = {M, R1}; R1 was shipped by v1.0.1 already.
  EXPECT_EQ(out.deployments[2].change_count, 2u);
  EXPECT_EQ(dag.Names(out.deployments[2].credited), (Names{"M"}));
  EXPECT_EQ(out.shipped_by[dag["R1"]], 0u);
}

TEST(AttributionTest, DeploymentOfAnAncestorShipsNothing) {
  // A rollback: the second deployment's commit B is an ancestor of the first's C.
  Dag dag;
  dag.Add("A", {}, Hours(1));
  dag.Add("B", {"A"}, Hours(2));
  dag.Add("C", {"B"}, Hours(3));
  dag.Add("D", {"C"}, Hours(4));
  dag.Build();
  const std::vector<DeploymentPoint> points = {
      dag.Deploy("C", Hours(3.5)), dag.Deploy("B", Hours(3.75)), dag.Deploy("D", Hours(4.5))};
  const Attribution out = AttributeChanges(dag.graph(), points, kLookback);
  EXPECT_EQ(out.deployments[0].change_count, 3u);  // {A, B, C}
  // B ^C is empty.
  EXPECT_EQ(out.deployments[1].change_count, 0u);
  EXPECT_FALSE(out.deployments[1].lookback_applied);
  EXPECT_TRUE(out.deployments[1].credited.empty());
  EXPECT_EQ(out.deployments[1].beyond_lookback, 0u);
  // The previous successful deployment is now B: D ^B = {C, D}, but C was credited to the
  // first deployment, so only D is credited here.
  EXPECT_EQ(out.deployments[2].change_count, 2u);
  EXPECT_EQ(dag.Names(out.deployments[2].credited), (Names{"D"}));
  EXPECT_EQ(out.shipped_by[dag["B"]], 0u);
  EXPECT_EQ(out.shipped_by[dag["C"]], 0u);
  EXPECT_EQ(out.shipped_by[dag["D"]], 2u);
}

TEST(AttributionTest, SameCommitDeployedTwice) {
  Dag dag;
  dag.Add("A", {}, Hours(1));
  dag.Add("B", {"A"}, Hours(2));
  dag.Build();
  const std::vector<DeploymentPoint> points = {dag.Deploy("B", Hours(3)),
                                               dag.Deploy("B", Hours(4))};
  const Attribution out = AttributeChanges(dag.graph(), points, kLookback);
  EXPECT_EQ(out.deployments[0].change_count, 2u);  // {A, B}
  EXPECT_EQ(out.deployments[1].change_count, 0u);  // B ^B
  EXPECT_TRUE(out.deployments[1].credited.empty());
  EXPECT_FALSE(out.deployments[1].lookback_applied);
  EXPECT_EQ(out.shipped_by[dag["B"]], 0u);
}

TEST(AttributionTest, FirstDeploymentCreditsOnlyCommitsWithinTheLookback) {
  // The first deployment finishes on day 121: the 90-day lookback starts on day 31.
  Dag dag;
  dag.Add("A", {}, Days(0));                // beyond
  dag.Add("B", {"A"}, Days(10), Days(40));  // beyond: committed day 10 (authored day 40)
  dag.Add("C", {"B"}, Days(31), Days(5));   // within: committed exactly at the start
  dag.Add("D", {"C"}, Days(100));           // within
  dag.Add("E", {"D"}, Days(120));           // within
  dag.Add("G", {"A"}, Days(1));             // an old side branch, merged later
  dag.Add("F", {"E"}, Days(125));
  dag.Add("H", {"F", "G"}, Days(127));
  dag.Build();
  const std::vector<DeploymentPoint> points = {
      dag.Deploy("E", Days(121)), dag.Deploy("F", Days(126)), dag.Deploy("H", Days(128))};
  const Attribution out = AttributeChanges(dag.graph(), points, kLookback);
  const DeploymentShipment& first = out.deployments[0];
  EXPECT_TRUE(first.lookback_applied);
  EXPECT_EQ(first.change_count, 3u);  // C, D, E
  EXPECT_EQ(dag.Names(first.credited), (Names{"C", "D", "E"}));
  EXPECT_EQ(first.beyond_lookback, 2u);  // A, B
  // Beyond the lookback: shipped by the first deployment, but not credited.
  EXPECT_EQ(out.shipped_by[dag["A"]], 0u);
  EXPECT_EQ(out.shipped_by[dag["B"]], 0u);
  // The next deployments have a previous one: no lookback.
  EXPECT_FALSE(out.deployments[1].lookback_applied);
  EXPECT_EQ(out.deployments[1].change_count, 1u);  // F
  EXPECT_EQ(dag.Names(out.deployments[1].credited), (Names{"F"}));
  EXPECT_EQ(out.deployments[1].beyond_lookback, 0u);
  // H ^F = {G, H}: G was committed on day 1, 127 days before, and is credited all the same.
  EXPECT_EQ(out.deployments[2].change_count, 2u);
  EXPECT_EQ(dag.Names(out.deployments[2].credited), (Names{"G", "H"}));
  EXPECT_EQ(out.deployments[2].beyond_lookback, 0u);
}

TEST(AttributionTest, LookbackLooksAtEveryAncestorNotJustTheNewestRun) {
  // Committer times out of order (a rebase or a skewed clock): the old B sits between A and C.
  // The deployment finishes on day 111: the lookback starts on day 21.
  Dag dag;
  dag.Add("A", {}, Days(100));
  dag.Add("B", {"A"}, Days(10));
  dag.Add("C", {"B"}, Days(110));
  dag.Build();
  const std::vector<DeploymentPoint> points = {dag.Deploy("C", Days(111))};
  const Attribution out = AttributeChanges(dag.graph(), points, kLookback);
  EXPECT_EQ(out.deployments[0].change_count, 2u);  // A and C
  EXPECT_EQ(dag.Names(out.deployments[0].credited), (Names{"A", "C"}));
  EXPECT_EQ(out.deployments[0].beyond_lookback, 1u);  // B
}

TEST(AttributionTest, FailedDeploymentsCreditNothingAndCountFromTheLastSuccess) {
  Dag dag;
  dag.Add("A", {}, Hours(1));
  dag.Add("B", {"A"}, Hours(2));
  dag.Add("C", {"B"}, Hours(3));
  dag.Add("D", {"C"}, Hours(4));
  dag.Build();
  const std::vector<DeploymentPoint> points = {dag.Deploy("B", Hours(2.5)),         // success
                                               dag.Deploy("C", Hours(3.5), false),  // failed
                                               dag.Deploy("D", Hours(4.5), false),  // failed
                                               dag.Deploy("D", Hours(5))};          // success
  const Attribution out = AttributeChanges(dag.graph(), points, kLookback);
  EXPECT_EQ(out.deployments[0].change_count, 2u);  // {A, B}
  // C ^B = {C}; nothing credited.
  EXPECT_EQ(out.deployments[1].change_count, 1u);
  EXPECT_FALSE(out.deployments[1].lookback_applied);
  EXPECT_TRUE(out.deployments[1].credited.empty());
  // D ^B = {C, D}: relative to the last success, not to the failed attempt at C.
  EXPECT_EQ(out.deployments[2].change_count, 2u);
  EXPECT_TRUE(out.deployments[2].credited.empty());
  // The success credits what the failures did not.
  EXPECT_EQ(out.deployments[3].change_count, 2u);
  EXPECT_EQ(dag.Names(out.deployments[3].credited), (Names{"C", "D"}));
  EXPECT_EQ(out.shipped_by[dag["C"]], 3u);
  EXPECT_EQ(out.shipped_by[dag["D"]], 3u);
}

TEST(AttributionTest, FailedDeploymentsBeforeTheFirstSuccessUseTheLookback) {
  // A on day 0, B on day 50, C on day 100.
  Dag dag;
  dag.Add("A", {}, Days(0));
  dag.Add("B", {"A"}, Days(50));
  dag.Add("C", {"B"}, Days(100));
  dag.Build();
  const std::vector<DeploymentPoint> points = {dag.Deploy("C", Days(101), false),
                                               dag.Deploy("C", Days(102))};
  const Attribution out = AttributeChanges(dag.graph(), points, kLookback);
  // Failed, no success before it: lookback from day 101 starts on day 11 -> {B, C}.
  EXPECT_TRUE(out.deployments[0].lookback_applied);
  EXPECT_EQ(out.deployments[0].change_count, 2u);
  EXPECT_TRUE(out.deployments[0].credited.empty());
  EXPECT_EQ(out.deployments[0].beyond_lookback, 0u);
  // The first success: lookback from day 102 starts on day 12 -> {B, C}; A is beyond.
  EXPECT_TRUE(out.deployments[1].lookback_applied);
  EXPECT_EQ(out.deployments[1].change_count, 2u);
  EXPECT_EQ(dag.Names(out.deployments[1].credited), (Names{"B", "C"}));
  EXPECT_EQ(out.deployments[1].beyond_lookback, 1u);
}

TEST(AttributionTest, DeploymentOfAnUnknownCommitIsSkipped) {
  Dag dag;
  dag.Add("A", {}, Hours(1));
  dag.Add("B", {"A"}, Hours(2));
  dag.Build();
  const std::vector<DeploymentPoint> points = {{kNoCommit, Hours(1.5), true},
                                               dag.Deploy("B", Hours(2.5))};
  const Attribution out = AttributeChanges(dag.graph(), points, kLookback);
  EXPECT_EQ(out.deployments[0].change_count, 0u);
  EXPECT_FALSE(out.deployments[0].lookback_applied);
  EXPECT_TRUE(out.deployments[0].credited.empty());
  // B's deployment is still the first one: lookback applied, {A, B}.
  EXPECT_TRUE(out.deployments[1].lookback_applied);
  EXPECT_EQ(out.deployments[1].change_count, 2u);
}

TEST(AttributionTest, NoDeployments) {
  Dag dag;
  dag.Add("A", {}, Hours(1));
  dag.Build();
  const Attribution out = AttributeChanges(dag.graph(), {}, kLookback);
  EXPECT_TRUE(out.deployments.empty());
  EXPECT_EQ(out.shipped_by, std::vector<std::uint32_t>{kNone});
}

// Property test: random DAGs and deployment sequences against brute-force set arithmetic.

std::uint32_t Uniform(std::mt19937& rng, std::uint32_t lo, std::uint32_t hi) {
  return lo + static_cast<std::uint32_t>(rng() % (static_cast<std::uint64_t>(hi) - lo + 1));
}

struct RandomHistory {
  std::vector<std::vector<int>> parents;  // commit numbers; parents are smaller numbers
  std::vector<UnixSeconds> committed;
  std::vector<DeploymentPoint> points;  // commit = commit number, mapped later
  common::Seconds lookback = 0;
};

RandomHistory MakeRandomHistory(std::uint32_t seed) {
  std::mt19937 rng(seed);
  RandomHistory h;
  const int n = static_cast<int>(Uniform(rng, 50, 300));
  for (int i = 0; i < n; ++i) {
    std::vector<int> parents;
    if (i > 0 && Uniform(rng, 0, 49) != 0) {  // about one commit in 50 is an extra root
      // The first parent is recent (branchy history); the others are anywhere earlier.
      parents.push_back(i - 1 - static_cast<int>(Uniform(rng, 0, std::min(i - 1, 8))));
      const std::uint32_t extra = Uniform(rng, 0, 9) < 7 ? 0 : Uniform(rng, 1, 2);
      for (std::uint32_t k = 0; k < extra; ++k) {
        const int p = static_cast<int>(Uniform(rng, 0, static_cast<std::uint32_t>(i - 1)));
        if (std::find(parents.begin(), parents.end(), p) == parents.end()) parents.push_back(p);
      }
    }
    h.parents.push_back(parents);
    // An hour apart, give or take five hours: committer times are not monotonic.
    h.committed.push_back(kT0 + i * kHour + (static_cast<int>(Uniform(rng, 0, 10)) - 5) * kHour);
  }
  h.lookback = Uniform(rng, 0, static_cast<std::uint32_t>(n)) * kHour;
  const std::uint32_t m = Uniform(rng, 1, 25);
  std::vector<UnixSeconds> times;
  for (std::uint32_t d = 0; d < m; ++d) {
    times.push_back(kT0 + Uniform(rng, 0, static_cast<std::uint32_t>(n + 10)) * kHour);
  }
  std::sort(times.begin(), times.end());
  for (std::uint32_t d = 0; d < m; ++d) {
    DeploymentPoint p;
    // One in ten redeploys the previous commit.
    p.commit = (d > 0 && Uniform(rng, 0, 9) == 0)
                   ? h.points.back().commit
                   : Uniform(rng, 0, static_cast<std::uint32_t>(n - 1));
    p.finished_at = times[d];
    p.success = Uniform(rng, 0, 3) != 0;
    h.points.push_back(p);
  }
  return h;
}

std::set<int> Ancestors(const RandomHistory& h, int tip) {
  std::set<int> seen{tip};
  std::vector<int> stack{tip};
  while (!stack.empty()) {
    const int c = stack.back();
    stack.pop_back();
    for (int p : h.parents[static_cast<std::size_t>(c)]) {
      if (seen.insert(p).second) stack.push_back(p);
    }
  }
  return seen;
}

std::set<int> Minus(const std::set<int>& a, const std::set<int>& b) {
  std::set<int> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

void CheckAgainstBruteForce(std::uint32_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  RandomHistory h = MakeRandomHistory(seed);
  const int n = static_cast<int>(h.parents.size());

  // Add the commits in a shuffled order; the builder must sort them out.
  std::mt19937 rng(seed + 1000);
  std::vector<int> order(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  for (int i = n - 1; i > 0; --i) {
    std::swap(order[static_cast<std::size_t>(i)],
              order[Uniform(rng, 0, static_cast<std::uint32_t>(i))]);
  }
  CommitGraphBuilder builder;
  for (int c : order) {
    std::string parents;
    for (int p : h.parents[static_cast<std::size_t>(c)]) {
      parents += (parents.empty() ? "" : " ") + HexId(static_cast<std::uint64_t>(p));
    }
    const UnixSeconds t = h.committed[static_cast<std::size_t>(c)];
    ASSERT_TRUE(builder.Add(HexId(static_cast<std::uint64_t>(c)), parents, t, t).ok());
  }
  auto built = builder.Build();
  ASSERT_TRUE(built.ok());
  const CommitGraph& graph = *built;
  ASSERT_EQ(graph.size(), static_cast<std::size_t>(n));
  std::vector<CommitIndex> to_graph(static_cast<std::size_t>(n));
  std::vector<int> from_graph(static_cast<std::size_t>(n));
  for (std::size_t pos = 0; pos < order.size(); ++pos) {
    const CommitIndex index = builder.input_to_index(pos);
    to_graph[static_cast<std::size_t>(order[pos])] = index;
    from_graph[index] = order[pos];
  }
  std::vector<DeploymentPoint> points = h.points;
  for (DeploymentPoint& p : points) p.commit = to_graph[p.commit];

  const Attribution out = AttributeChanges(graph, points, h.lookback);
  ASSERT_EQ(out.deployments.size(), points.size());

  std::optional<std::size_t> first_success;
  std::optional<int> previous_success;  // commit number
  std::set<int> beyond_first;           // ancestors of the first success beyond its lookback
  std::set<int> expected_shipped;       // union of ancestors of the successes so far
  std::set<int> credited_so_far;
  std::vector<std::uint32_t> expected_shipped_by(static_cast<std::size_t>(n), kNone);
  for (std::size_t d = 0; d < points.size(); ++d) {
    SCOPED_TRACE("deployment " + std::to_string(d));
    const DeploymentPoint& point = h.points[d];
    const DeploymentShipment& got = out.deployments[d];
    const std::set<int> ancestors = Ancestors(h, static_cast<int>(point.commit));
    const UnixSeconds lookback_start = point.finished_at - h.lookback;

    // (a) change_count.
    if (previous_success) {
      EXPECT_FALSE(got.lookback_applied);
      EXPECT_EQ(got.change_count, Minus(ancestors, Ancestors(h, *previous_success)).size());
    } else {
      EXPECT_TRUE(got.lookback_applied);
      std::size_t within = 0;
      for (int c : ancestors) within += h.committed[static_cast<std::size_t>(c)] >= lookback_start;
      EXPECT_EQ(got.change_count, within);
    }

    // (b) credited commits: disjoint, and their running union is the shipped set minus the
    // first success's commits beyond its lookback.
    std::set<int> credited;
    for (CommitIndex c : got.credited) credited.insert(from_graph[c]);
    EXPECT_EQ(credited.size(), got.credited.size()) << "a commit credited twice";
    for (int c : credited) EXPECT_FALSE(credited_so_far.contains(c)) << "credited again: " << c;
    credited_so_far.insert(credited.begin(), credited.end());
    if (point.success) {
      if (!first_success) {
        first_success = d;
        for (int c : ancestors) {
          if (h.committed[static_cast<std::size_t>(c)] < lookback_start) beyond_first.insert(c);
        }
        EXPECT_EQ(got.beyond_lookback, beyond_first.size());
      } else {
        EXPECT_EQ(got.beyond_lookback, 0u);
      }
      for (int c : ancestors) {
        if (expected_shipped.insert(c).second) {
          expected_shipped_by[static_cast<std::size_t>(c)] = static_cast<std::uint32_t>(d);
        }
      }
      previous_success = static_cast<int>(point.commit);
    } else {
      EXPECT_TRUE(got.credited.empty());
      EXPECT_EQ(got.beyond_lookback, 0u);
    }
    EXPECT_EQ(credited_so_far, Minus(expected_shipped, beyond_first));
  }
  for (int c = 0; c < n; ++c) {
    EXPECT_EQ(out.shipped_by[to_graph[static_cast<std::size_t>(c)]],
              expected_shipped_by[static_cast<std::size_t>(c)])
        << "commit " << c;
  }
}

TEST(AttributionPropertyTest, MatchesBruteForceOnRandomHistories) {
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    CheckAgainstBruteForce(seed);
    if (::testing::Test::HasFailure()) break;  // one seed's report is enough
  }
}

// Property test of the batched count on histories shaped like long-lived maintenance lines:
// every few releases a line forks from main, gets fixes and is merged back again and again, and
// the pairs mix releases of old lines with main's (the case where a single walk cannot stop
// early). The batched counts must equal the sizes of the plain walk's sets, which must equal
// brute-force set arithmetic; more than 64 pairs, so that several blocks run.
void CheckBatchedCountsOnMaintenanceHistory(std::uint32_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  RandomHistory h;
  auto add = [&](std::vector<int> parents) {
    h.parents.push_back(std::move(parents));
    h.committed.push_back(kT0 + static_cast<UnixSeconds>(h.parents.size()) * kHour);
    return static_cast<int>(h.parents.size()) - 1;
  };
  int main_tip = add({});
  std::vector<int> lines;     // tips of open maintenance lines
  std::vector<int> releases;  // tagged commits, in the order they were tagged
  const int steps = static_cast<int>(Uniform(rng, 200, 600));
  for (int step = 0; step < steps; ++step) {
    const std::uint32_t roll = Uniform(rng, 0, 99);
    if (roll < 50) {
      main_tip = add({main_tip});
    } else if (roll < 70) {  // a feature branch forked a little earlier, merged
      int feature = add({main_tip});
      for (std::uint32_t k = Uniform(rng, 0, 3); k > 0; --k) feature = add({feature});
      main_tip = add({main_tip, feature});
    } else if (roll < 75) {  // a release opens a line
      releases.push_back(main_tip);
      lines.push_back(main_tip);
    } else if (roll < 90 && !lines.empty()) {  // a fix and a patch release on a line
      int& line = lines[Uniform(rng, 0, static_cast<std::uint32_t>(lines.size() - 1))];
      line = add({line});
      releases.push_back(line);
    } else if (!lines.empty()) {  // a line is merged back (sometimes main into it as well)
      int& line = lines[Uniform(rng, 0, static_cast<std::uint32_t>(lines.size() - 1))];
      main_tip = add({main_tip, line});
      if (Uniform(rng, 0, 9) == 0) line = add({line, main_tip});
    }
  }
  releases.push_back(main_tip);
  const int n = static_cast<int>(h.parents.size());

  CommitGraphBuilder builder;
  for (int c = n - 1; c >= 0; --c) {  // newest first: the builder must order them
    std::string parents;
    for (int p : h.parents[static_cast<std::size_t>(c)]) {
      parents += (parents.empty() ? "" : " ") + HexId(static_cast<std::uint64_t>(p));
    }
    const UnixSeconds t = h.committed[static_cast<std::size_t>(c)];
    ASSERT_TRUE(builder.Add(HexId(static_cast<std::uint64_t>(c)), parents, t, t).ok());
  }
  auto built = builder.Build();
  ASSERT_TRUE(built.ok());
  const CommitGraph& graph = *built;
  auto index = [&](int c) { return builder.input_to_index(static_cast<std::size_t>(n - 1 - c)); };
  std::vector<int> number(static_cast<std::size_t>(n));  // graph index -> commit number
  for (int c = 0; c < n; ++c) number[index(c)] = c;

  // Consecutive releases (as deployments are), then random pairs, pairs without an exclude and a
  // commit against itself.
  std::vector<std::pair<int, int>> pairs;  // commit numbers; -1: no exclude
  for (std::size_t r = 1; r < releases.size(); ++r)
    pairs.emplace_back(releases[r], releases[r - 1]);
  for (int k = 0; k < 40; ++k) {
    const auto pick = [&] {
      return static_cast<int>(Uniform(rng, 0, static_cast<std::uint32_t>(n - 1)));
    };
    const std::uint32_t kind = Uniform(rng, 0, 9);
    pairs.emplace_back(pick(), kind == 0 ? -1 : pick());
    if (kind == 1) pairs.back().second = pairs.back().first;
  }
  std::vector<ReachPair> graph_pairs;
  for (const auto& [include, exclude] : pairs) {
    graph_pairs.push_back({index(include), exclude < 0 ? kNoCommit : index(exclude)});
  }
  const std::vector<std::uint32_t> counts = CountReachableExcludingEach(graph, graph_pairs);
  ASSERT_EQ(counts.size(), pairs.size());
  ASSERT_GT(pairs.size(), 64u) << "the history must give several blocks of pairs";

  std::vector<std::uint8_t> scratch(graph.size(), 0);
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    SCOPED_TRACE("pair " + std::to_string(k));
    const auto [include, exclude] = pairs[k];
    const std::set<int> expected =
        exclude < 0 ? Ancestors(h, include) : Minus(Ancestors(h, include), Ancestors(h, exclude));
    std::set<int> walked;
    ForEachReachableExcluding(graph, graph_pairs[k].include, graph_pairs[k].exclude, scratch,
                              [&](CommitIndex c) { walked.insert(number[c]); });
    EXPECT_EQ(walked, expected);
    EXPECT_EQ(counts[k], expected.size());
  }
}

TEST(AttributionPropertyTest, BatchedCountsMatchTheWalkOnMaintenanceLines) {
  for (std::uint32_t seed = 1; seed <= 100; ++seed) {
    CheckBatchedCountsOnMaintenanceHistory(seed);
    if (::testing::Test::HasFailure()) break;  // one seed's report is enough
  }
}

}  // namespace
}  // namespace leadline::engine
