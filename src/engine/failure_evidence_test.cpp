#include "engine/failure_evidence.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "testing/snapshot_script.h"

namespace leadline::engine {
namespace {

using common::kDay;
using common::kHour;
using common::UnixSeconds;

constexpr UnixSeconds kT0 = 1704067200;  // 2024-01-01T00:00:00Z

UnixSeconds Hours(double h) { return kT0 + static_cast<UnixSeconds>(h * kHour); }

// Named commits (SnapshotScript), deployments of them by name, and their failure evaluation.
class Repo : public leadline::testing::SnapshotScript {
 public:
  using SnapshotScript::SnapshotScript;

  DeploymentPoint Deploy(const std::string& name, UnixSeconds finished, bool success = true) const {
    return {(*this)[name], finished, success};
  }

  std::vector<DeploymentOutcome> Evaluate(const std::vector<DeploymentPoint>& points,
                                          const FailureRules& rules = {}) const {
    const Attribution attribution = AttributeChanges(snapshot().graph, points, 90 * kDay);
    return EvaluateFailures(snapshot(), points, attribution, rules);
  }
};

using Strings = std::vector<std::string>;

TEST(FailureKindNameTest, NamesEveryKind) {
  EXPECT_STREQ(FailureKindName(FailureKind::kDeploymentFailed), "deployment_failed");
  EXPECT_STREQ(FailureKindName(FailureKind::kReverted), "reverted");
  EXPECT_STREQ(FailureKindName(FailureKind::kHotfix), "hotfix");
  EXPECT_STREQ(FailureKindName(FailureKind::kIncident), "incident");
}

TEST(FailureEvidenceTest, NothingFailsInACleanHistory) {
  Repo repo;
  repo.Commit("A", {}, Hours(1));
  repo.Commit("B", {"A"}, Hours(2));
  repo.Build();
  const auto outcomes = repo.Evaluate({repo.Deploy("A", Hours(1.5)), repo.Deploy("B", Hours(2.5))});
  ASSERT_EQ(outcomes.size(), 2u);
  for (const DeploymentOutcome& o : outcomes) {
    EXPECT_FALSE(o.failed());
    EXPECT_FALSE(o.rework());
    EXPECT_FALSE(o.restored_by.has_value());
  }
}

TEST(FailureEvidenceTest, RevertOfAShippedCommitFailsTheDeploymentThatShippedIt) {
  // A - B("Add login") - R(revert of B); v1 ships B, v2 ships R.
  Repo repo;
  repo.Commit("A", {}, Hours(1));
  repo.Commit("B", {"A"}, Hours(2), "Add login");
  repo.Revert("R", {"B"}, Hours(4), "B");
  repo.Build();
  ASSERT_EQ(repo.snapshot().reverts.size(), 1u);
  EXPECT_EQ(repo.snapshot().reverts[0].revert, repo["R"]);
  EXPECT_EQ(repo.snapshot().reverts[0].reverted, repo["B"]);

  const auto outcomes = repo.Evaluate({repo.Deploy("B", Hours(3)), repo.Deploy("R", Hours(5))});
  ASSERT_EQ(outcomes[0].reasons.size(), 1u);
  const FailureReason& reason = outcomes[0].reasons[0];
  EXPECT_EQ(reason.kind, FailureKind::kReverted);
  EXPECT_EQ(reason.evidence, repo["R"]);
  EXPECT_EQ(reason.reverted, repo["B"]);
  EXPECT_EQ(reason.branch, "");
  EXPECT_EQ(outcomes[0].restored_by, 1u);  // v2 ships the revert
  EXPECT_FALSE(outcomes[0].rework());
  // v2 is rework, not a failure.
  EXPECT_FALSE(outcomes[1].failed());
  EXPECT_EQ(outcomes[1].rework_reasons, Strings{"revert"});
}

TEST(FailureEvidenceTest, RevertOfACommitBeyondTheFirstLookbackFailsNothing) {
  // Old ("Add login") landed 200 days before v1, outside its 90-day lookback: it was in
  // production before tracking began, so its revert (shipped by v2) is no evidence against v1.
  Repo repo;
  repo.Commit("Old", {}, Hours(-200 * 24), "Add login");
  repo.Commit("A", {"Old"}, Hours(1));
  repo.Revert("R", {"A"}, Hours(3), "Old");
  repo.Build();
  const auto outcomes = repo.Evaluate({repo.Deploy("A", Hours(2)), repo.Deploy("R", Hours(4))});
  EXPECT_FALSE(outcomes[0].failed());
  EXPECT_FALSE(outcomes[1].rework());
}

TEST(FailureEvidenceTest, AFailureReRunGreenWithinTheGraceIsNotCounted) {
  // A fails at 1h and is re-run green at 1h20m; B fails at 3h, and its re-run at 4h is too late
  // for a 30-minute grace; C fails at 5h and the next success (at 5h10m) is of another commit.
  Repo repo;
  repo.Commit("A", {}, Hours(0.5));
  repo.Commit("B", {"A"}, Hours(2.5));
  repo.Commit("C", {"B"}, Hours(4.5));
  repo.Commit("D", {"C"}, Hours(5));
  repo.Build();
  const std::vector<DeploymentPoint> points = {
      repo.Deploy("A", Hours(1), false), repo.Deploy("A", Hours(1 + 20.0 / 60)),
      repo.Deploy("B", Hours(3), false), repo.Deploy("B", Hours(4)),
      repo.Deploy("C", Hours(5), false), repo.Deploy("D", Hours(5 + 10.0 / 60))};
  FailureRules rules;
  rules.rerun_grace = 30 * common::kMinute;
  const auto outcomes = repo.Evaluate(points, rules);
  EXPECT_FALSE(outcomes[0].failed());
  EXPECT_TRUE(outcomes[2].failed());
  EXPECT_TRUE(outcomes[4].failed());
  // Without a grace period every failed deployment counts.
  const auto strict = repo.Evaluate(points);
  EXPECT_TRUE(strict[0].failed());
}

TEST(FailureEvidenceTest, RevertShippedTogetherWithTheRevertedCommitIsNotAFailure) {
  // v1 ships A; B and its revert R reach production together in v2.
  Repo repo;
  repo.Commit("A", {}, Hours(1));
  repo.Commit("B", {"A"}, Hours(2), "Add login");
  repo.Revert("R", {"B"}, Hours(3), "B");
  repo.Build();
  const auto outcomes = repo.Evaluate({repo.Deploy("A", Hours(1.5)), repo.Deploy("R", Hours(4))});
  EXPECT_FALSE(outcomes[0].failed());
  EXPECT_FALSE(outcomes[1].failed());
  EXPECT_FALSE(outcomes[1].rework());
}

TEST(FailureEvidenceTest, RevertNotYetDeployedLeavesTheFailureUnrestored) {
  //   A - B - C        main; v1 ships B, v2 ships C
  //        `- R        the revert of B, on a branch nobody deployed
  Repo repo;
  repo.Commit("A", {}, Hours(1));
  repo.Commit("B", {"A"}, Hours(2), "Add login");
  repo.Revert("R", {"B"}, Hours(4), "B");
  repo.Commit("C", {"B"}, Hours(5));
  repo.Build();
  const auto outcomes = repo.Evaluate({repo.Deploy("B", Hours(3)), repo.Deploy("C", Hours(6))});
  ASSERT_EQ(outcomes[0].reasons.size(), 1u);
  EXPECT_EQ(outcomes[0].reasons[0].kind, FailureKind::kReverted);
  EXPECT_FALSE(outcomes[0].restored_by.has_value());
  EXPECT_FALSE(outcomes[1].failed());
  EXPECT_FALSE(outcomes[1].rework());
}

TEST(FailureEvidenceTest, RevertsResolvedByAbbreviatedShaAndBySubject) {
  Repo repo;
  repo.Commit("A", {}, Hours(1));
  repo.Commit("B", {"A"}, Hours(2), "Add login");
  repo.Commit("C", {"B"}, Hours(3), "Add search");
  // An edited subject, with the sha abbreviated to 7 digits.
  repo.Commit("R1", {"C"}, Hours(5),
              "Back out login\n\nThis reverts commit " + repo.Sha("B").substr(0, 7) + ".");
  // Only the subject.
  repo.Commit("R2", {"R1"}, Hours(6), "Revert \"Add search\"");
  // Names a commit that is not in the history.
  repo.Commit("R3", {"R2"}, Hours(7), "Revert \"Add nothing\"\n\nThis reverts commit 0000000.");
  repo.Build();
  EXPECT_EQ(repo.snapshot().unresolved_reverts, 1u);  // R3
  ASSERT_EQ(repo.snapshot().reverts.size(), 2u);

  const auto outcomes = repo.Evaluate({repo.Deploy("C", Hours(4)), repo.Deploy("R3", Hours(8))});
  // v1 shipped B and C; both were reverted, and v2 restored service.
  ASSERT_EQ(outcomes[0].reasons.size(), 2u);
  EXPECT_EQ(outcomes[0].reasons[0].evidence, repo["R1"]);
  EXPECT_EQ(outcomes[0].reasons[0].reverted, repo["B"]);
  EXPECT_EQ(outcomes[0].reasons[1].evidence, repo["R2"]);
  EXPECT_EQ(outcomes[0].reasons[1].reverted, repo["C"]);
  EXPECT_EQ(outcomes[0].restored_by, 1u);
  EXPECT_EQ(outcomes[1].rework_reasons, Strings{"revert"});  // once, for two reverts
}

TEST(FailureEvidenceTest, RevertBySubjectPicksTheNewestEarlierCommitWithThatSubject) {
  // Two commits called "Bump deps"; the revert (subject only) undoes the second.
  Repo repo;
  repo.Commit("A", {}, Hours(1), "Bump deps");
  repo.Commit("B", {"A"}, Hours(2), "Bump deps");
  repo.Commit("R", {"B"}, Hours(4), "Revert \"Bump deps\"");
  repo.Build();
  const auto outcomes = repo.Evaluate(
      {repo.Deploy("A", Hours(1.5)), repo.Deploy("B", Hours(3)), repo.Deploy("R", Hours(5))});
  EXPECT_FALSE(outcomes[0].failed());
  ASSERT_EQ(outcomes[1].reasons.size(), 1u);
  EXPECT_EQ(outcomes[1].reasons[0].reverted, repo["B"]);
  EXPECT_EQ(outcomes[1].restored_by, 2u);
}

TEST(FailureEvidenceTest, HotfixMergedWithinTheWindowFailsThePreviousDeployment) {
  //   A ------ B - M     main; v1 ships A (hour 10), v2 ships M (hour 16)
  //    \          /
  //     H1 ------       hotfix/crash, merged at hour 15: 5 hours after v1
  Repo repo;
  repo.Commit("A", {}, Hours(0));
  repo.Commit("B", {"A"}, Hours(11));
  repo.Commit("H1", {"A"}, Hours(12), "Fix crash");
  repo.Commit("M", {"B", "H1"}, Hours(15), "Merge branch 'hotfix/crash'");
  repo.Build();
  ASSERT_EQ(repo.snapshot().hotfix_merges.size(), 1u);
  const auto outcomes = repo.Evaluate({repo.Deploy("A", Hours(10)), repo.Deploy("M", Hours(16))});
  ASSERT_EQ(outcomes[0].reasons.size(), 1u);
  const FailureReason& reason = outcomes[0].reasons[0];
  EXPECT_EQ(reason.kind, FailureKind::kHotfix);
  EXPECT_EQ(reason.evidence, repo["M"]);
  EXPECT_EQ(reason.reverted, kNoCommit);
  EXPECT_EQ(reason.branch, "hotfix/crash");
  EXPECT_EQ(outcomes[0].restored_by, 1u);
  EXPECT_FALSE(outcomes[1].failed());
  EXPECT_EQ(outcomes[1].rework_reasons, Strings{"hotfix"});
}

// The same shape, with the merge `merged_after` hours after v1 (hour 10) and v2 an hour later.
std::vector<DeploymentOutcome> HotfixMergedAfter(double merged_after, const FailureRules& rules) {
  Repo repo;
  repo.Commit("A", {}, Hours(0));
  repo.Commit("H1", {"A"}, Hours(10.5), "Fix crash");
  repo.Commit("M", {"A", "H1"}, Hours(10 + merged_after),
              "Merge pull request #5 from owner/hotfix/crash");
  repo.Build();
  return repo.Evaluate(
      {repo.Deploy("A", Hours(10)), repo.Deploy("M", Hours(10 + merged_after + 1))}, rules);
}

TEST(FailureEvidenceTest, HotfixMergedOutsideTheWindowIsOnlyRework) {
  const auto outcomes = HotfixMergedAfter(25, FailureRules{});  // 25 h > 24 h
  EXPECT_FALSE(outcomes[0].failed());
  EXPECT_FALSE(outcomes[1].failed());
  EXPECT_EQ(outcomes[1].rework_reasons, Strings{"hotfix"});
}

TEST(FailureEvidenceTest, HotfixWindowIncludesItsEnd) {
  const auto outcomes = HotfixMergedAfter(24, FailureRules{});  // exactly 24 h
  ASSERT_EQ(outcomes[0].reasons.size(), 1u);
  EXPECT_EQ(outcomes[0].reasons[0].kind, FailureKind::kHotfix);
  EXPECT_EQ(outcomes[0].restored_by, 1u);
}

TEST(FailureEvidenceTest, HotfixWindowIsConfigurable) {
  FailureRules rules;
  rules.hotfix_window = 2 * kHour;
  EXPECT_TRUE(HotfixMergedAfter(2, rules)[0].failed());   // 2 h <= 2 h
  EXPECT_FALSE(HotfixMergedAfter(3, rules)[0].failed());  // 3 h > 2 h
}

TEST(FailureEvidenceTest, HotfixNotYetDeployedLeavesTheFailureUnrestored) {
  Repo repo;
  repo.Commit("A", {}, Hours(0));
  repo.Commit("H1", {"A"}, Hours(11), "Fix crash");
  repo.Commit("M", {"A", "H1"}, Hours(12), "Merged in fix/crash (pull request #3)");
  repo.Build();
  const auto outcomes = repo.Evaluate({repo.Deploy("A", Hours(10))});
  ASSERT_EQ(outcomes[0].reasons.size(), 1u);
  EXPECT_EQ(outcomes[0].reasons[0].branch, "fix/crash");
  EXPECT_FALSE(outcomes[0].restored_by.has_value());
}

TEST(FailureEvidenceTest, OtherBranchesAreNotHotfixes) {
  Repo repo;
  repo.Commit("A", {}, Hours(0));
  repo.Commit("F1", {"A"}, Hours(11));
  repo.Commit("M", {"A", "F1"}, Hours(12), "Merge branch 'feature/fixes'");
  repo.Commit("N", {"M", "F1"}, Hours(12.5), "Merge branch 'fixture/x'");  // not "fix/"
  repo.Build();
  EXPECT_TRUE(repo.snapshot().hotfix_merges.empty());
  const auto outcomes = repo.Evaluate({repo.Deploy("A", Hours(10)), repo.Deploy("N", Hours(13))});
  EXPECT_FALSE(outcomes[0].failed());
  EXPECT_FALSE(outcomes[1].rework());
}

TEST(FailureEvidenceTest, HotfixPrefixesAreConfigurable) {
  Repo repo({"urgent/"});
  repo.Commit("A", {}, Hours(0));
  repo.Commit("H1", {"A"}, Hours(11));
  repo.Commit("M", {"A", "H1"}, Hours(12), "Merge branch 'urgent/db'");
  repo.Commit("N", {"M", "H1"}, Hours(12.5), "Merge branch 'hotfix/y'");  // not configured
  repo.Build();
  ASSERT_EQ(repo.snapshot().hotfix_merges.size(), 1u);
  EXPECT_EQ(repo.snapshot().hotfix_merges[0].branch, "urgent/db");
  const auto outcomes = repo.Evaluate({repo.Deploy("A", Hours(10)), repo.Deploy("N", Hours(13))});
  ASSERT_EQ(outcomes[0].reasons.size(), 1u);
  EXPECT_EQ(outcomes[0].reasons[0].branch, "urgent/db");
}

TEST(FailureEvidenceTest, FailedDeploymentIsRestoredByTheNextSuccess) {
  Repo repo;
  repo.Commit("A", {}, Hours(1));
  repo.Commit("B", {"A"}, Hours(2));
  repo.Build();
  const std::vector<DeploymentPoint> points = {
      repo.Deploy("A", Hours(1.5)),         // 0: success
      repo.Deploy("B", Hours(2.5), false),  // 1: failed
      repo.Deploy("B", Hours(3), false),    // 2: failed again
      {kNoCommit, Hours(3.2), true},        // 3: a success of an unknown commit: skipped
      repo.Deploy("B", Hours(3.5)),         // 4: success
      repo.Deploy("B", Hours(4), false)};   // 5: failed, nothing after it
  const auto outcomes = repo.Evaluate(points);
  EXPECT_FALSE(outcomes[0].failed());
  ASSERT_EQ(outcomes[1].reasons.size(), 1u);
  EXPECT_EQ(outcomes[1].reasons[0].kind, FailureKind::kDeploymentFailed);
  EXPECT_EQ(outcomes[1].reasons[0].evidence, kNoCommit);
  EXPECT_EQ(outcomes[1].restored_by, 4u);
  EXPECT_EQ(outcomes[2].restored_by, 4u);
  EXPECT_FALSE(outcomes[3].failed());
  EXPECT_FALSE(outcomes[4].failed());
  EXPECT_FALSE(outcomes[4].rework());
  ASSERT_TRUE(outcomes[5].failed());
  EXPECT_FALSE(outcomes[5].restored_by.has_value());
}

TEST(FailureEvidenceTest, FailedDeploymentsCanBeIgnored) {
  Repo repo;
  repo.Commit("A", {}, Hours(1));
  repo.Build();
  FailureRules rules;
  rules.count_failed_deployments = false;
  const auto outcomes =
      repo.Evaluate({repo.Deploy("A", Hours(1.5), false), repo.Deploy("A", Hours(2))}, rules);
  EXPECT_FALSE(outcomes[0].failed());
}

TEST(FailureEvidenceTest, SeveralReasonsTakeTheEarliestRestoration) {
  //   A - X("Add export") ------ M ---- R(revert of X)
  //        \                    /
  //         H1 ----------------         hotfix/export, merged 2 h after v1
  // v1 ships X (hour 2), v2 ships M (hour 5), v3 ships R (hour 7).
  Repo repo;
  repo.Commit("A", {}, Hours(0));
  repo.Commit("X", {"A"}, Hours(1), "Add export");
  repo.Commit("H1", {"X"}, Hours(3), "Fix export crash");
  repo.Commit("M", {"X", "H1"}, Hours(4), "Merge pull request #5 from owner/hotfix/export");
  repo.Revert("R", {"M"}, Hours(6), "X");
  repo.Build();
  const auto outcomes = repo.Evaluate(
      {repo.Deploy("X", Hours(2)), repo.Deploy("M", Hours(5)), repo.Deploy("R", Hours(7))});
  // Both reasons, in the order the rules are listed: the revert (restored by v3) and the hotfix
  // (restored by v2). The earlier restoration, v2, wins.
  ASSERT_EQ(outcomes[0].reasons.size(), 2u);
  EXPECT_EQ(outcomes[0].reasons[0].kind, FailureKind::kReverted);
  EXPECT_EQ(outcomes[0].reasons[1].kind, FailureKind::kHotfix);
  EXPECT_EQ(outcomes[0].reasons[1].branch, "hotfix/export");
  EXPECT_EQ(outcomes[0].restored_by, 1u);
  EXPECT_FALSE(outcomes[1].failed());
  EXPECT_FALSE(outcomes[2].failed());
  EXPECT_EQ(outcomes[1].rework_reasons, Strings{"hotfix"});
  EXPECT_EQ(outcomes[2].rework_reasons, Strings{"revert"});
}

TEST(FailureEvidenceTest, OneDeploymentCanBeReworkForSeveralReasons) {
  // v1 ships B and C; v2 ships the reverts of both and a hotfix merge.
  Repo repo;
  repo.Commit("A", {}, Hours(0));
  repo.Commit("B", {"A"}, Hours(1), "Add a");
  repo.Commit("C", {"B"}, Hours(2), "Add b");
  repo.Revert("R1", {"C"}, Hours(4), "B");
  repo.Revert("R2", {"R1"}, Hours(5), "C");
  repo.Commit("H1", {"C"}, Hours(5.5), "Fix b");
  repo.Commit("M", {"R2", "H1"}, Hours(6), "Merged in hotfix/b (pull request #3)");
  repo.Build();
  const auto outcomes = repo.Evaluate({repo.Deploy("C", Hours(3)), repo.Deploy("M", Hours(7))});
  // v1: reverted twice (R1, R2) and hotfixed (M, 3 hours after it); v2 restored it.
  ASSERT_EQ(outcomes[0].reasons.size(), 3u);
  EXPECT_EQ(outcomes[0].reasons[0].evidence, repo["R1"]);
  EXPECT_EQ(outcomes[0].reasons[1].evidence, repo["R2"]);
  EXPECT_EQ(outcomes[0].reasons[2].evidence, repo["M"]);
  EXPECT_EQ(outcomes[0].restored_by, 1u);
  EXPECT_EQ(outcomes[1].rework_reasons, (Strings{"revert", "hotfix"}));
  EXPECT_FALSE(outcomes[1].failed());
}

}  // namespace
}  // namespace leadline::engine
