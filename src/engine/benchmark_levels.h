// DORA benchmark levels (Elite, High, Medium, Low) from the data table benchmark_levels.json,
// compiled into the binary. Each report year has its own method (see the JSON's comment).
// The table is parsed once and immutable afterwards; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace leadline::engine {

// The deployment-frequency measures a level can be expressed in.
struct FrequencyMeasures {
  double deploys_per_day = 0;
  double deploys_per_week = 0;      // median over the window's whole weeks
  double deploy_days_per_week = 0;  // median over the window's whole weeks
  double deploys_per_month = 0;     // mean per 30 days
};

// A metric's value; empty when there was no sample (no level is given then).
struct LevelInputs {
  std::optional<FrequencyMeasures> deployment_frequency;
  std::optional<double> lead_time_s;
  std::optional<double> change_fail_rate;
  std::optional<double> recovery_s;
};

struct Levels {
  int year = 0;
  std::optional<std::string> deployment_frequency;
  std::optional<std::string> lead_time;
  std::optional<std::string> change_fail_rate;
  std::optional<std::string> recovery;
};

std::vector<int> BenchmarkYears();
int DefaultBenchmarkYear();

// Fails with a message listing the known years when `year` has no table.
common::Result<Levels> ClassifyLevels(int year, const LevelInputs& inputs);

}  // namespace leadline::engine
