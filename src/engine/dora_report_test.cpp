#include "engine/dora_report.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "testing/snapshot_script.h"

namespace leadline::engine {
namespace {

using common::kDay;
using common::kHour;
using common::kMinute;
using common::UnixSeconds;
using model::Deployment;
using model::DeploymentStatus;

constexpr UnixSeconds kT0 = 1704067200;  // 2024-01-01T00:00:00Z, a Monday
constexpr double kEps = 1e-6;

UnixSeconds At(common::Seconds offset) { return kT0 + offset; }

// Named commits (SnapshotScript), deployments of them by name, and the report over them.
class Repo : public leadline::testing::SnapshotScript {
 public:
  Repo() : SnapshotScript({"hotfix/"}) {}

  // Commits git's default revert of `reverted` on top of `parent`.
  void Revert(const std::string& name, const std::string& parent, UnixSeconds t,
              const std::string& reverted) {
    SnapshotScript::Revert(name, {parent}, t, reverted);
  }

  // Appends a deployment of commit `name`.
  void Deploy(const std::string& ref, const std::string& name, UnixSeconds finished,
              bool success = true) {
    Deployment d;
    d.natural_key = "tag:" + ref;
    d.source = "tag";
    d.ref = ref;
    d.sha = Sha(name);
    d.finished_at = finished;
    d.status = success ? DeploymentStatus::kSuccess : DeploymentStatus::kFailure;
    deployments_.push_back(d);
  }

  // Analyses all deployments, then reports on [since, until).
  Report Run(UnixSeconds since, UnixSeconds until, int year = 2023,
             const AnalysisOptions& options = {}) {
    analysis_ = AnalyzeDeployments(snapshot(), deployments_, options);
    auto report = BuildReport(snapshot(), deployments_, analysis_, {since, until}, year);
    if (!report.ok()) {
      ADD_FAILURE() << report.status().message();
      return {};
    }
    return std::move(report).value();
  }

  std::vector<Deployment>& deployments() { return deployments_; }
  const DeploymentAnalysis& analysis() const { return analysis_; }

 private:
  DeploymentAnalysis analysis_;
  std::vector<Deployment> deployments_;
};

TEST(DoraReportTest, WindowIncludesSinceAndExcludesUntil) {
  // One commit and one deployment per hour; the window is [T0 + 2h, T0 + 4h).
  Repo repo;
  repo.Commit("A", {}, At(0));
  repo.Commit("B", {"A"}, At(1 * kHour));
  repo.Commit("C", {"B"}, At(2 * kHour));
  repo.Commit("D", {"C"}, At(3 * kHour));
  repo.Commit("E", {"D"}, At(4 * kHour));
  repo.Build();
  repo.Deploy("v1", "A", At(2 * kHour - 1));  // 0: a second before since: out
  repo.Deploy("v2", "B", At(2 * kHour));      // 1: exactly since: in
  repo.Deploy("v3", "C", At(3 * kHour));      // 2: in
  repo.Deploy("v4", "D", At(4 * kHour - 1));  // 3: a second before until: in
  repo.Deploy("v5", "E", At(4 * kHour));      // 4: exactly until: out
  const Report report = repo.Run(At(2 * kHour), At(4 * kHour));
  ASSERT_EQ(report.deployments.size(), 3u);
  EXPECT_EQ(report.deployments[0].index, 1u);
  EXPECT_EQ(report.deployments[1].index, 2u);
  EXPECT_EQ(report.deployments[2].index, 3u);
  EXPECT_EQ(report.summary.deployments, 3u);
  EXPECT_EQ(report.summary.deployment_attempts, 3u);
  EXPECT_EQ(report.summary.window.since, At(2 * kHour));
  EXPECT_EQ(report.summary.window.until, At(4 * kHour));
  EXPECT_NEAR(report.summary.window_days, 2.0 / 24, kEps);
  // Each deployment ships its one commit: B ^A, C ^B, D ^C; lead times 1h, 1h, 1h - 1s.
  EXPECT_EQ(report.deployments[0].change_count, 1u);
  EXPECT_FALSE(report.deployments[0].lookback_applied);  // v1 came first, outside the window
  EXPECT_EQ(report.summary.lead_time_s.count, 3u);
  EXPECT_NEAR(report.summary.lead_time_s.median, 3600, kEps);
  // Gaps between the three: 3600 - 0 and 3599 -> median of {3599, 3600} = 3599.5.
  ASSERT_TRUE(report.summary.median_time_between_deployments_s.has_value());
  EXPECT_NEAR(*report.summary.median_time_between_deployments_s, 3599.5, kEps);
}

TEST(DoraReportTest, LeadTimeUsesAuthorTimeExcludesMergesAndClampsAtZero) {
  //   A ------ B - M - E     main; v1 ships A before the window, v2 ships E
  //    \          /
  //     F1 ------            a feature commit
  Repo repo;
  repo.Commit("A", {}, At(-kDay));
  repo.Deploy("v1", "A", At(0));
  // F1 authored at 1h, committed (rebased) at 2.5h: lead time counts from authoring.
  repo.Commit("F1", {"A"}, At(2 * kHour + 30 * kMinute), At(1 * kHour));
  repo.Commit("B", {"A"}, At(2 * kHour));
  repo.Commit("M", {"B", "F1"}, At(3 * kHour), std::nullopt, "Merge branch 'feature/x'");
  // A skewed clock: E claims to be authored after the deployment that shipped it.
  repo.Commit("E", {"M"}, At(3 * kHour + 30 * kMinute), At(10 * kHour));
  repo.Build();
  repo.Deploy("v2", "E", At(5 * kHour));
  const Report report = repo.Run(At(kHour), At(kDay));
  ASSERT_EQ(report.deployments.size(), 1u);
  const DeploymentRow& row = report.deployments[0];
  EXPECT_EQ(row.index, 1u);
  EXPECT_EQ(row.change_count, 4u);  // E ^A = {F1, B, M, E}
  // Lead times: F1 5h - 1h = 14400; B 5h - 2h = 10800; E 5h - 10h < 0 -> 0; M is a merge.
  EXPECT_EQ(row.credited_changes, 3u);
  EXPECT_EQ(report.summary.merge_commits_excluded, 1u);
  // Sorted {0, 10800, 14400}.
  const Distribution& lead = report.summary.lead_time_s;
  EXPECT_EQ(lead.count, 3u);
  EXPECT_NEAR(lead.median, 10800, kEps);
  EXPECT_NEAR(lead.p75, 12600, kEps);  // rank 1.5 -> 10800 + 0.5 * 3600
  EXPECT_NEAR(lead.p90, 13680, kEps);  // rank 1.8 -> 10800 + 0.8 * 3600
  EXPECT_NEAR(lead.mean, 8400, kEps);  // 25200 / 3
  ASSERT_TRUE(row.lead_time_median_s.has_value());
  EXPECT_NEAR(*row.lead_time_median_s, 10800, kEps);
  EXPECT_EQ(report.summary.levels.lead_time, "Elite");  // 10800 < 86400
}

TEST(DoraReportTest, FirstDeploymentLookbackLimitsTheLeadTimeSample) {
  Repo repo;
  repo.Commit("A", {}, At(-10 * kDay));  // beyond a 1-day lookback
  repo.Commit("B", {"A"}, At(-2 * kHour));
  repo.Build();
  repo.Deploy("v1", "B", At(0));
  AnalysisOptions options;
  options.first_lookback = kDay;
  const Report report = repo.Run(At(-kDay), At(kDay), 2023, options);
  ASSERT_EQ(report.deployments.size(), 1u);
  EXPECT_TRUE(report.deployments[0].lookback_applied);
  EXPECT_EQ(report.deployments[0].change_count, 1u);  // B only
  EXPECT_EQ(report.deployments[0].credited_changes, 1u);
  EXPECT_NEAR(report.summary.lead_time_s.median, 7200, kEps);                 // B: 2 h
  EXPECT_EQ(repo.analysis().attribution.deployments[0].beyond_lookback, 1u);  // A
}

// A week with one failed deployment, two reverts (one shipped, one not) and five successes:
//   A - B - C - X - R(revert X) - Y - RY(revert Y, never deployed)
class FailureWeekTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.Commit("A", {}, At(-2 * kHour));
    repo_.Commit("B", {"A"}, At(0), std::nullopt, "Add search");
    repo_.Commit("C", {"B"}, At(kDay - kHour));
    repo_.Commit("X", {"C"}, At(2 * kDay - 4 * kHour), std::nullopt, "Add export");
    repo_.Revert("R", "X", At(2 * kDay + 10 * kMinute), "X");
    repo_.Commit("Y", {"R"}, At(3 * kDay - 2 * kHour), std::nullopt, "Add import");
    repo_.Revert("RY", "Y", At(3 * kDay + kHour), "Y");
    repo_.Build();
    repo_.Deploy("v1", "B", At(kHour));                    // 0: ships A, B
    repo_.Deploy("v2", "C", At(kDay), false);              // 1: failed
    repo_.Deploy("v3", "C", At(kDay + 2 * kHour));         // 2: ships C, restores v2
    repo_.Deploy("v4", "X", At(2 * kDay));                 // 3: ships X, reverted
    repo_.Deploy("v5", "R", At(2 * kDay + 30 * kMinute));  // 4: ships R, restores v4
    repo_.Deploy("v6", "Y", At(3 * kDay));                 // 5: ships Y, reverted, not restored
  }

  Repo repo_;
};

TEST_F(FailureWeekTest, CountsAndRates) {
  const Report report = repo_.Run(At(0), At(7 * kDay));
  const Summary& s = report.summary;
  EXPECT_NEAR(s.window_days, 7, kEps);
  EXPECT_EQ(s.deployment_attempts, 6u);  // v1..v6
  EXPECT_EQ(s.deployments, 5u);          // all but v2
  EXPECT_EQ(s.failed_deployments, 3u);   // v2 (failed), v4 and v6 (reverted)
  EXPECT_EQ(s.rework_deployments, 1u);   // v5 (ships a revert)
  ASSERT_TRUE(s.change_fail_rate.has_value());
  EXPECT_NEAR(*s.change_fail_rate, 0.5, kEps);  // 3 / 6 attempts, not 3 / 5 successes
  ASSERT_TRUE(s.rework_rate.has_value());
  EXPECT_NEAR(*s.rework_rate, 1.0 / 6, kEps);  // 1 / 6 attempts
}

TEST_F(FailureWeekTest, RecoveryDistribution) {
  const Report report = repo_.Run(At(0), At(7 * kDay));
  const Summary& s = report.summary;
  // v2 restored by v3 after 2 h = 7200 s; v4 by v5 after 30 min = 1800 s; v6 never.
  EXPECT_EQ(s.unrecovered_failures, 1u);
  EXPECT_EQ(s.recovery_s.count, 2u);
  EXPECT_NEAR(s.recovery_s.median, 4500, kEps);  // (1800 + 7200) / 2
  EXPECT_NEAR(s.recovery_s.p75, 5850, kEps);     // rank 0.75 -> 1800 + 0.75 * 5400
  EXPECT_NEAR(s.recovery_s.p90, 6660, kEps);     // rank 0.9 -> 1800 + 0.9 * 5400
  EXPECT_NEAR(s.recovery_s.mean, 4500, kEps);
}

TEST_F(FailureWeekTest, LeadTimes) {
  const Report report = repo_.Run(At(0), At(7 * kDay));
  // A 1h - (-2h) = 10800; B 3600; C (1d + 2h) - (1d - 1h) = 10800; X 4h = 14400;
  // R 20 min = 1200; Y 2h = 7200. Sorted {1200, 3600, 7200, 10800, 10800, 14400}.
  const Distribution& lead = report.summary.lead_time_s;
  EXPECT_EQ(lead.count, 6u);
  EXPECT_NEAR(lead.median, 9000, kEps);  // rank 2.5 -> (7200 + 10800) / 2
  EXPECT_NEAR(lead.p75, 10800, kEps);    // rank 3.75, between 10800 and 10800
  EXPECT_NEAR(lead.p90, 12600, kEps);    // rank 4.5 -> 10800 + 0.5 * 3600
  EXPECT_NEAR(lead.mean, 8000, kEps);    // 48000 / 6
  EXPECT_EQ(report.summary.merge_commits_excluded, 0u);
}

TEST_F(FailureWeekTest, Frequency) {
  const Report report = repo_.Run(At(0), At(7 * kDay));
  const Summary& s = report.summary;
  // One whole week; successes on days 0, 1, 2, 2, 3.
  EXPECT_NEAR(s.frequency.deploys_per_day, 5.0 / 7, kEps);
  EXPECT_NEAR(s.frequency.deploys_per_month, 150.0 / 7, kEps);  // 5 / (7 / 30)
  EXPECT_NEAR(s.frequency.deploys_per_week, 5, kEps);
  EXPECT_NEAR(s.frequency.deploy_days_per_week, 4, kEps);
  // Gaps: 1d1h = 90000, 22h = 79200, 30 min = 1800, 23.5h = 84600; median (79200 + 84600) / 2.
  ASSERT_TRUE(s.median_time_between_deployments_s.has_value());
  EXPECT_NEAR(*s.median_time_between_deployments_s, 81900, kEps);
}

TEST_F(FailureWeekTest, Rows) {
  const Report report = repo_.Run(At(0), At(7 * kDay));
  ASSERT_EQ(report.deployments.size(), 6u);
  const auto& rows = report.deployments;
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].index, i);

  // v1: the first deployment: {A, B}, lead times 10800 and 3600.
  EXPECT_TRUE(rows[0].lookback_applied);
  EXPECT_EQ(rows[0].change_count, 2u);
  EXPECT_EQ(rows[0].credited_changes, 2u);
  EXPECT_NEAR(rows[0].lead_time_median_s.value_or(-1), 7200, kEps);
  EXPECT_FALSE(rows[0].failed());

  // v2: the deployment failed; C ^B = 1 change, none credited.
  EXPECT_EQ(rows[1].change_count, 1u);
  EXPECT_EQ(rows[1].credited_changes, 0u);
  EXPECT_FALSE(rows[1].lead_time_median_s.has_value());
  ASSERT_EQ(rows[1].failure_reasons.size(), 1u);
  EXPECT_EQ(rows[1].failure_reasons[0].reason, "deployment_failed");
  EXPECT_EQ(rows[1].failure_reasons[0].commit, "");
  EXPECT_EQ(rows[1].restored_by, "v3");
  EXPECT_EQ(rows[1].recovery_s, 2 * kHour);

  // v3 re-deploys C successfully.
  EXPECT_FALSE(rows[2].failed());
  EXPECT_EQ(rows[2].credited_changes, 1u);

  // v4 shipped X, which R reverted; v5 shipped R.
  ASSERT_EQ(rows[3].failure_reasons.size(), 1u);
  EXPECT_EQ(rows[3].failure_reasons[0].reason, "reverted");
  EXPECT_EQ(rows[3].failure_reasons[0].commit, repo_.Sha("R"));
  EXPECT_EQ(rows[3].failure_reasons[0].reverted, repo_.Sha("X"));
  EXPECT_EQ(rows[3].failure_reasons[0].branch, "");
  EXPECT_EQ(rows[3].restored_by, "v5");
  EXPECT_EQ(rows[3].recovery_s, 30 * kMinute);
  EXPECT_EQ(rows[4].rework_reasons, std::vector<std::string>{"revert"});
  EXPECT_FALSE(rows[4].failed());

  // v6 shipped Y; its revert was never deployed.
  ASSERT_EQ(rows[5].failure_reasons.size(), 1u);
  EXPECT_EQ(rows[5].failure_reasons[0].commit, repo_.Sha("RY"));
  EXPECT_FALSE(rows[5].restored_by.has_value());
  EXPECT_FALSE(rows[5].recovery_s.has_value());
}

TEST_F(FailureWeekTest, Levels2023) {
  const Report report = repo_.Run(At(0), At(7 * kDay));
  const Levels& levels = report.summary.levels;
  EXPECT_EQ(levels.year, 2023);
  EXPECT_EQ(levels.deployment_frequency, "High");  // 4 deploy days < 5; 5 a week >= 1
  EXPECT_EQ(levels.lead_time, "Elite");            // median 9000 s < 1 day
  EXPECT_EQ(levels.change_fail_rate, "Low");       // 0.5 > 0.15
  EXPECT_EQ(levels.recovery, "High");              // median 4500 s: >= 1 hour, < 1 day
}

TEST_F(FailureWeekTest, Levels2024) {
  const Report report = repo_.Run(At(0), At(7 * kDay), 2024);
  const Levels& levels = report.summary.levels;
  EXPECT_EQ(levels.year, 2024);
  EXPECT_EQ(levels.deployment_frequency, "High");  // 5/7 = 0.71 a day, in [1/7, 1]
  EXPECT_EQ(levels.lead_time, "Elite");            // 9000 s in [0, 1 day]
  EXPECT_EQ(levels.change_fail_rate, "Low");       // 0.5: Low (0.40) 0.10 away, High 0.30
  EXPECT_EQ(levels.recovery, "High");              // 4500 s in [1 hour, 1 day]
}

TEST_F(FailureWeekTest, UnknownBenchmarkYearFails) {
  const DeploymentAnalysis analysis =
      AnalyzeDeployments(repo_.snapshot(), repo_.deployments(), AnalysisOptions{});
  auto report =
      BuildReport(repo_.snapshot(), repo_.deployments(), analysis, {At(0), At(7 * kDay)}, 2019);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("2023, 2024"), std::string::npos);
}

TEST_F(FailureWeekTest, WindowAfterTheFailuresCountsOnlyWhatIsInIt) {
  // [day 2, day 7): v4, v5, v6. v4 and v6 failed; v5 is rework.
  const Report report = repo_.Run(At(2 * kDay), At(7 * kDay));
  const Summary& s = report.summary;
  ASSERT_EQ(report.deployments.size(), 3u);
  EXPECT_EQ(report.deployments[0].index, 3u);
  EXPECT_EQ(s.deployment_attempts, 3u);
  EXPECT_EQ(s.failed_deployments, 2u);
  EXPECT_NEAR(s.change_fail_rate.value_or(-1), 2.0 / 3, kEps);
  EXPECT_NEAR(s.rework_rate.value_or(-1), 1.0 / 3, kEps);
  EXPECT_EQ(s.recovery_s.count, 1u);
  EXPECT_NEAR(s.recovery_s.median, 1800, kEps);
  EXPECT_EQ(s.unrecovered_failures, 1u);
  // Lead times X 14400, R 1200, Y 7200 -> median 7200.
  EXPECT_NEAR(s.lead_time_s.median, 7200, kEps);
}

TEST(DoraReportTest, RestorerOutsideTheWindowAndWithoutARef) {
  Repo repo;
  repo.Commit("A", {}, At(0));
  repo.Build();
  repo.Deploy("v1", "A", At(kHour), false);
  repo.Deploy("", "A", At(2 * kDay));  // a deploy-log entry: no ref
  const Report report = repo.Run(At(0), At(kDay));
  ASSERT_EQ(report.deployments.size(), 1u);
  const DeploymentRow& row = report.deployments[0];
  EXPECT_EQ(row.restored_by, repo.Sha("A").substr(0, 12));
  EXPECT_EQ(row.recovery_s, 2 * kDay - kHour);  // 169200 s
  const Summary& s = report.summary;
  EXPECT_EQ(s.deployments, 0u);
  EXPECT_EQ(s.deployment_attempts, 1u);
  EXPECT_NEAR(s.change_fail_rate.value_or(-1), 1.0, kEps);
  EXPECT_EQ(s.recovery_s.count, 1u);
  EXPECT_NEAR(s.recovery_s.median, 169200, kEps);
  EXPECT_EQ(s.unrecovered_failures, 0u);
  EXPECT_EQ(s.lead_time_s.count, 0u);
  EXPECT_FALSE(s.median_time_between_deployments_s.has_value());
  // 2023: 169200 s is >= 1 day and < 7 days -> Medium; no successes -> Low frequency.
  EXPECT_EQ(s.levels.recovery, "Medium");
  EXPECT_EQ(s.levels.deployment_frequency, "Low");
  EXPECT_FALSE(s.levels.lead_time.has_value());
}

TEST(DoraReportTest, EmptyWindowHasNoRates) {
  Repo repo;
  repo.Commit("A", {}, At(0));
  repo.Build();
  repo.Deploy("v1", "A", At(kHour));
  const Report report = repo.Run(At(kDay), At(8 * kDay));
  const Summary& s = report.summary;
  EXPECT_TRUE(report.deployments.empty());
  EXPECT_EQ(s.deployment_attempts, 0u);
  EXPECT_FALSE(s.change_fail_rate.has_value());
  EXPECT_FALSE(s.rework_rate.has_value());
  EXPECT_EQ(s.lead_time_s.count, 0u);
  EXPECT_EQ(s.recovery_s.count, 0u);
  EXPECT_EQ(s.frequency.deploys_per_day, 0);
  EXPECT_EQ(s.frequency.deploys_per_week, 0);
  // Frequency is measured (zero: Low); the other metrics have no sample and no level.
  EXPECT_EQ(s.levels.deployment_frequency, "Low");
  EXPECT_FALSE(s.levels.lead_time.has_value());
  EXPECT_FALSE(s.levels.change_fail_rate.has_value());
  EXPECT_FALSE(s.levels.recovery.has_value());
}

TEST(DoraReportTest, WeeklyMediansOverFourWeeks) {
  // Window [T0, T0 + 28d); whole weeks counted back from its end:
  //   week 3 = days 0-6, week 2 = days 7-13, week 1 = days 14-20, week 0 = days 21-27.
  const std::vector<UnixSeconds> successes = {
      At(kDay + kHour), At(kDay + 5 * kHour), At(3 * kDay + 2 * kHour),  // week 3: 3 on 2 days
      At(9 * kDay),                                                      // week 2: 1 on 1 day
      // week 1: none (one failed deployment below)
      At(21 * kDay + kHour), At(22 * kDay + kHour), At(23 * kDay + kHour),  // week 0: 5 on 5
      At(24 * kDay + kHour), At(25 * kDay + kHour)};
  Repo repo;
  std::string parent;
  for (std::size_t i = 0; i < successes.size(); ++i) {
    const std::string name = "c" + std::to_string(i);
    repo.Commit(name, parent.empty() ? std::vector<std::string>{} : std::vector{parent},
                successes[i] - 30 * kMinute);
    parent = name;
  }
  repo.Commit("f", {"c3"}, At(15 * kDay - kHour));
  repo.Build();
  for (std::size_t i = 0; i < successes.size(); ++i) {
    if (i == 4) repo.Deploy("failed", "f", At(15 * kDay), false);
    repo.Deploy("v" + std::to_string(i), "c" + std::to_string(i), successes[i]);
  }
  const Report report = repo.Run(At(0), At(28 * kDay));
  const Summary& s = report.summary;
  EXPECT_EQ(s.deployments, 9u);
  EXPECT_EQ(s.deployment_attempts, 10u);
  EXPECT_NEAR(s.frequency.deploys_per_day, 9.0 / 28, kEps);
  EXPECT_NEAR(s.frequency.deploys_per_month, 270.0 / 28, kEps);  // 9 / (28 / 30)
  // Deploys per week {3, 1, 0, 5} -> sorted {0, 1, 3, 5} -> median (1 + 3) / 2 = 2.
  EXPECT_NEAR(s.frequency.deploys_per_week, 2, kEps);
  // Deploy days per week {2, 1, 0, 5} -> sorted {0, 1, 2, 5} -> median 1.5.
  EXPECT_NEAR(s.frequency.deploy_days_per_week, 1.5, kEps);
  // Gaps: 4h = 14400, 1d21h = 162000, 5d22h = 511200, 12d1h = 1040400, then 4 x 86400.
  // Sorted {14400, 86400 x4, 162000, 511200, 1040400}: median (86400 + 86400) / 2.
  EXPECT_NEAR(s.median_time_between_deployments_s.value_or(-1), 86400, kEps);
  EXPECT_EQ(s.levels.deployment_frequency, "High");  // 1.5 deploy days < 5; 2 a week >= 1
}

TEST(DoraReportTest, WeeklyMediansIgnoreALeadingPartialWeek) {
  // A 10-day window holds one whole week, days 3-9; the deployment on day 1 is outside it.
  Repo repo;
  repo.Commit("A", {}, At(kDay - kHour));
  repo.Commit("B", {"A"}, At(4 * kDay - kHour));
  repo.Commit("C", {"B"}, At(5 * kDay - kHour));
  repo.Build();
  repo.Deploy("v1", "A", At(kDay));
  repo.Deploy("v2", "B", At(4 * kDay));
  repo.Deploy("v3", "C", At(5 * kDay));
  const Report report = repo.Run(At(0), At(10 * kDay));
  const FrequencyMeasures& f = report.summary.frequency;
  EXPECT_NEAR(f.deploys_per_day, 0.3, kEps);     // 3 / 10
  EXPECT_NEAR(f.deploys_per_month, 9, kEps);     // 3 / (10 / 30)
  EXPECT_NEAR(f.deploys_per_week, 2, kEps);      // the one whole week: v2, v3
  EXPECT_NEAR(f.deploy_days_per_week, 2, kEps);  // days 4 and 5
}

TEST(DoraReportTest, ResolvesAbbreviatedAndUnknownDeploymentShas) {
  Repo repo;
  repo.Commit("A", {}, At(0));
  repo.Commit("B", {"A"}, At(kHour));
  repo.Build();
  repo.Deploy("v1", "A", At(2 * kHour));
  repo.Deploy("v2", "B", At(3 * kHour));
  repo.deployments()[1].sha = repo.Sha("B").substr(0, 12);  // Bitbucket Cloud's abbreviation
  repo.Deploy("v3", "B", At(4 * kHour));
  repo.deployments()[2].sha = std::string(40, 'f');  // not in the history
  const Report report = repo.Run(At(0), At(kDay));
  ASSERT_EQ(report.deployments.size(), 3u);
  EXPECT_EQ(repo.analysis().points[1].commit, repo.snapshot().graph.FindByPrefix(repo.Sha("B")));
  EXPECT_EQ(repo.analysis().points[2].commit, kNoCommit);
  EXPECT_EQ(report.deployments[1].change_count, 1u);  // B ^A
  EXPECT_EQ(report.deployments[1].credited_changes, 1u);
  EXPECT_EQ(report.deployments[2].change_count, 0u);
  // An unknown commit still counts as a successful deployment.
  EXPECT_EQ(report.summary.deployments, 3u);
}

}  // namespace
}  // namespace leadline::engine
