#include "engine/benchmark_levels.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace leadline::engine {
namespace {

constexpr double kHour = 3600;
constexpr double kDay = 86400;

// Classifies `inputs`; a failure is reported and gives empty levels.
Levels Classify(int year, const LevelInputs& inputs) {
  auto levels = ClassifyLevels(year, inputs);
  if (!levels.ok()) {
    ADD_FAILURE() << levels.status().message();
    return {};
  }
  return *levels;
}

// The level of one metric; the other inputs are left empty.
std::optional<std::string> LeadTimeLevel(int year, double seconds) {
  LevelInputs inputs;
  inputs.lead_time_s = seconds;
  return Classify(year, inputs).lead_time;
}

std::optional<std::string> ChangeFailRateLevel(int year, double rate) {
  LevelInputs inputs;
  inputs.change_fail_rate = rate;
  return Classify(year, inputs).change_fail_rate;
}

std::optional<std::string> RecoveryLevel(int year, double seconds) {
  LevelInputs inputs;
  inputs.recovery_s = seconds;
  return Classify(year, inputs).recovery;
}

std::optional<std::string> FrequencyLevel(int year, const FrequencyMeasures& f) {
  LevelInputs inputs;
  inputs.deployment_frequency = f;
  return Classify(year, inputs).deployment_frequency;
}

FrequencyMeasures Frequency(double per_day, double per_week, double days_per_week,
                            double per_month) {
  FrequencyMeasures f;
  f.deploys_per_day = per_day;
  f.deploys_per_week = per_week;
  f.deploy_days_per_week = days_per_week;
  f.deploys_per_month = per_month;
  return f;
}

TEST(BenchmarkLevelsTest, KnowsTheShippedYears) {
  EXPECT_EQ(BenchmarkYears(), (std::vector<int>{2023, 2024}));
  EXPECT_EQ(DefaultBenchmarkYear(), 2023);
}

TEST(BenchmarkLevelsTest, UnknownYearListsTheKnownOnes) {
  auto levels = ClassifyLevels(2019, LevelInputs{});
  ASSERT_FALSE(levels.ok());
  EXPECT_EQ(levels.status().code(), common::StatusCode::kInvalidArgument);
  EXPECT_EQ(levels.status().message(), "no benchmark table for 2019 (known: 2023, 2024)");
  // 2025 dropped the clusters: no table.
  EXPECT_FALSE(ClassifyLevels(2025, LevelInputs{}).ok());
}

TEST(BenchmarkLevelsTest, MissingInputsGiveNoLevel) {
  for (int year : {2023, 2024}) {
    auto levels = ClassifyLevels(year, LevelInputs{});
    ASSERT_TRUE(levels.ok());
    EXPECT_EQ(levels->year, year);
    EXPECT_FALSE(levels->deployment_frequency.has_value());
    EXPECT_FALSE(levels->lead_time.has_value());
    EXPECT_FALSE(levels->change_fail_rate.has_value());
    EXPECT_FALSE(levels->recovery.has_value());
  }
}

TEST(BenchmarkLevelsTest, OnlyTheGivenMetricsAreClassified) {
  LevelInputs inputs;
  inputs.change_fail_rate = 0.02;
  inputs.recovery_s = 2 * kHour;
  const Levels levels = Classify(2023, inputs);
  EXPECT_EQ(levels.year, 2023);
  EXPECT_FALSE(levels.deployment_frequency.has_value());
  EXPECT_FALSE(levels.lead_time.has_value());
  EXPECT_EQ(levels.change_fail_rate, "Elite");  // 0.02 <= 0.05
  EXPECT_EQ(levels.recovery, "High");           // 7200 s: not < 3600, < 86400
}

// 2023: thresholds, first level whose bound holds.

TEST(BenchmarkLevels2023Test, LeadTimeBoundaries) {
  EXPECT_EQ(LeadTimeLevel(2023, 0), "Elite");
  EXPECT_EQ(LeadTimeLevel(2023, 86399), "Elite");     // < 1 day
  EXPECT_EQ(LeadTimeLevel(2023, 86400), "High");      // exactly 1 day is not < 1 day
  EXPECT_EQ(LeadTimeLevel(2023, 604799), "High");     // < 7 days
  EXPECT_EQ(LeadTimeLevel(2023, 604800), "Medium");   // exactly 7 days
  EXPECT_EQ(LeadTimeLevel(2023, 2591999), "Medium");  // < 30 days
  EXPECT_EQ(LeadTimeLevel(2023, 2592000), "Low");     // exactly 30 days
  EXPECT_EQ(LeadTimeLevel(2023, 365 * kDay), "Low");
}

TEST(BenchmarkLevels2023Test, ChangeFailRateBoundaries) {
  EXPECT_EQ(ChangeFailRateLevel(2023, 0), "Elite");
  EXPECT_EQ(ChangeFailRateLevel(2023, 0.05), "Elite");  // at most 5%
  EXPECT_EQ(ChangeFailRateLevel(2023, 0.0501), "High");
  EXPECT_EQ(ChangeFailRateLevel(2023, 0.10), "High");  // at most 10%
  EXPECT_EQ(ChangeFailRateLevel(2023, 0.1001), "Medium");
  EXPECT_EQ(ChangeFailRateLevel(2023, 0.15), "Medium");  // at most 15%
  EXPECT_EQ(ChangeFailRateLevel(2023, 0.1501), "Low");
  EXPECT_EQ(ChangeFailRateLevel(2023, 1.0), "Low");
}

TEST(BenchmarkLevels2023Test, RecoveryBoundaries) {
  EXPECT_EQ(RecoveryLevel(2023, 0), "Elite");
  EXPECT_EQ(RecoveryLevel(2023, 3599), "Elite");     // < 1 hour
  EXPECT_EQ(RecoveryLevel(2023, 3600), "High");      // exactly 1 hour
  EXPECT_EQ(RecoveryLevel(2023, 86399), "High");     // < 1 day
  EXPECT_EQ(RecoveryLevel(2023, 86400), "Medium");   // exactly 1 day
  EXPECT_EQ(RecoveryLevel(2023, 604799), "Medium");  // < 7 days
  EXPECT_EQ(RecoveryLevel(2023, 604800), "Low");     // exactly 7 days
}

TEST(BenchmarkLevels2023Test, DeploymentFrequencyUsesEachLevelsMeasure) {
  // Elite: deploy days per week >= 5, whatever the other measures say.
  EXPECT_EQ(FrequencyLevel(2023, Frequency(0, 0, 5, 0)), "Elite");
  EXPECT_EQ(FrequencyLevel(2023, Frequency(10, 70, 7, 300)), "Elite");
  // 4.5 deploy days: not Elite; High needs deploys per week >= 1.
  EXPECT_EQ(FrequencyLevel(2023, Frequency(3, 20, 4.5, 90)), "High");
  EXPECT_EQ(FrequencyLevel(2023, Frequency(0.15, 1, 1, 4.3)), "High");  // exactly 1 a week
  // Under 1 a week: Medium needs deploys per month >= 1.
  EXPECT_EQ(FrequencyLevel(2023, Frequency(0.07, 0.5, 0.5, 2)), "Medium");
  EXPECT_EQ(FrequencyLevel(2023, Frequency(0.03, 0, 0, 1)), "Medium");  // exactly 1 a month
  EXPECT_EQ(FrequencyLevel(2023, Frequency(0.03, 0, 0, 0.99)), "Low");
  EXPECT_EQ(FrequencyLevel(2023, Frequency(0, 0, 0, 0)), "Low");
  // A high deploys_per_day alone does not make Elite in 2023 (it reads deploy days).
  EXPECT_EQ(FrequencyLevel(2023, Frequency(5, 0, 0, 0)), "Low");
}

// 2024: nearest cluster per metric.

TEST(BenchmarkLevels2024Test, ChangeFailRateIsNearestClusterNotOrderedBands) {
  // Cluster points: Elite 0.05, High 0.20, Medium 0.10, Low 0.40.
  EXPECT_EQ(ChangeFailRateLevel(2024, 0), "Elite");     // 0.05 away from Elite
  EXPECT_EQ(ChangeFailRateLevel(2024, 0.05), "Elite");  // 0
  // 0.12: Elite 0.07, High 0.08, Medium 0.02, Low 0.28 -> Medium.
  EXPECT_EQ(ChangeFailRateLevel(2024, 0.12), "Medium");
  // 0.16: Elite 0.11, High 0.04, Medium 0.06, Low 0.24 -> High (a worse rate than Medium's).
  EXPECT_EQ(ChangeFailRateLevel(2024, 0.16), "High");
  // 0.30: High 0.10, Low 0.10 -- a tie. Ties go to the level listed first (High); in doubles,
  // 0.30 - 0.20 = 0.09999999999999998 < 0.40 - 0.30 = 0.10000000000000003, also High.
  EXPECT_EQ(ChangeFailRateLevel(2024, 0.30), "High");
  // 0.31: High 0.11, Low 0.09 -> Low.
  EXPECT_EQ(ChangeFailRateLevel(2024, 0.31), "Low");
  EXPECT_EQ(ChangeFailRateLevel(2024, 0.9), "Low");
}

TEST(BenchmarkLevels2024Test, LeadTimeByRange) {
  // Ranges: Elite [0, 1d], High [1d, 7d], Medium [7d, 30d], Low [30d, 180d].
  EXPECT_EQ(LeadTimeLevel(2024, kHour), "Elite");
  // Exactly 1 day is inside both Elite and High: distance 0 to both, Elite is listed first.
  EXPECT_EQ(LeadTimeLevel(2024, kDay), "Elite");
  EXPECT_EQ(LeadTimeLevel(2024, 2 * kDay), "High");
  EXPECT_EQ(LeadTimeLevel(2024, 10 * kDay), "Medium");
  EXPECT_EQ(LeadTimeLevel(2024, 60 * kDay), "Low");
  // 365 days is past every range; Low's end (180 d) is nearest.
  EXPECT_EQ(LeadTimeLevel(2024, 365 * kDay), "Low");
}

TEST(BenchmarkLevels2024Test, RecoveryByRangeOnALogScale) {
  // Ranges: Elite [0, 1h], High [1h, 1d], Medium [1h, 1d] (the same), Low [7d, 30d].
  EXPECT_EQ(RecoveryLevel(2024, 600), "Elite");
  // 2 hours: inside High and Medium; High is listed first.
  EXPECT_EQ(RecoveryLevel(2024, 2 * kHour), "High");
  EXPECT_EQ(RecoveryLevel(2024, 10 * kDay), "Low");
  // 3 days = 259200 s, between High/Medium's end (86400) and Low's start (604800):
  // ln(259201 / 86401) = ln(3.0000) = 1.0986 vs ln(604801 / 259201) = ln(2.3333) = 0.8473 -> Low.
  EXPECT_EQ(RecoveryLevel(2024, 3 * kDay), "Low");
  // 1.5 days = 129600 s: ln(129601 / 86401) = 0.4055 vs ln(604801 / 129601) = 1.5404 -> High.
  EXPECT_EQ(RecoveryLevel(2024, 1.5 * kDay), "High");
}

TEST(BenchmarkLevels2024Test, DeploymentFrequencyUsesDeploysPerDay) {
  // Ranges in deploys per day: Elite [1, inf), High [1/7, 1], Medium [1/30, 1/7],
  // Low [1/182.5, 1/30].
  EXPECT_EQ(FrequencyLevel(2024, Frequency(3, 21, 7, 90)), "Elite");
  EXPECT_EQ(FrequencyLevel(2024, Frequency(0.5, 3.5, 3.5, 15)), "High");
  EXPECT_EQ(FrequencyLevel(2024, Frequency(0.1, 0.7, 0.7, 3)), "Medium");
  EXPECT_EQ(FrequencyLevel(2024, Frequency(0.01, 0, 0, 0.3)), "Low");
  // No deployments: log1p gaps 0.00546 to Low's start vs 0.0328 to Medium's -> Low.
  EXPECT_EQ(FrequencyLevel(2024, Frequency(0, 0, 0, 0)), "Low");
  // Only deploys_per_day counts: 7 deploy days a week with 0.5 a day is High, not Elite.
  EXPECT_EQ(FrequencyLevel(2024, Frequency(0.5, 7, 7, 15)), "High");
}

}  // namespace
}  // namespace leadline::engine
