#include "engine/benchmark_levels.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace leadline::engine {

extern const char kBenchmarkLevelsJson[];  // generated from benchmark_levels.json

namespace {

using nlohmann::json;

const json& Table() {
  static const json table = json::parse(kBenchmarkLevelsJson);
  return table;
}

double FrequencyMeasure(const FrequencyMeasures& f, const std::string& name) {
  if (name == "deploys_per_week") return f.deploys_per_week;
  if (name == "deploy_days_per_week") return f.deploy_days_per_week;
  if (name == "deploys_per_month") return f.deploys_per_month;
  return f.deploys_per_day;
}

// thresholds: does `value` meet every bound in `rule`?
bool MeetsBounds(const json& rule, double value) {
  if (rule.contains("below") && !(value < rule["below"].get<double>())) return false;
  if (rule.contains("at_most") && !(value <= rule["at_most"].get<double>())) return false;
  if (rule.contains("at_least") && !(value >= rule["at_least"].get<double>())) return false;
  return true;
}

// nearest: 0 inside a range, else the log-scale gap to it; for a point, the plain gap.
double Distance(const json& rule, double value) {
  if (rule.contains("value")) return std::abs(value - rule["value"].get<double>());
  auto log_gap = [](double a, double b) { return std::abs(std::log1p(a) - std::log1p(b)); };
  if (!rule["from"].is_null() && value < rule["from"].get<double>()) {
    return log_gap(value, rule["from"].get<double>());
  }
  if (!rule["to"].is_null() && value > rule["to"].get<double>()) {
    return log_gap(value, rule["to"].get<double>());
  }
  return 0;
}

// `value_of` maps a level's rule to the metric value it is compared with.
template <typename ValueOf>
std::string Classify(const json& year, const char* key, ValueOf value_of) {
  const json& levels = year["levels"];
  if (year["method"] == "thresholds") {
    for (const json& level : levels) {
      if (!level.contains(key) || MeetsBounds(level[key], value_of(level[key]))) {
        return level["level"];
      }
    }
    return levels.back()["level"];
  }
  std::string best;
  double best_distance = std::numeric_limits<double>::infinity();
  for (const json& level : levels) {
    const double distance = Distance(level[key], value_of(level[key]));
    if (distance < best_distance) {
      best_distance = distance;
      best = level["level"];
    }
  }
  return best;
}

}  // namespace

std::vector<int> BenchmarkYears() {
  std::vector<int> years;
  for (const auto& [year, unused] : Table()["years"].items()) years.push_back(std::stoi(year));
  return years;
}

int DefaultBenchmarkYear() { return Table()["default_year"]; }

common::Result<Levels> ClassifyLevels(int year, const LevelInputs& inputs) {
  const std::string key = std::to_string(year);
  if (!Table()["years"].contains(key)) {
    std::string known;
    for (int y : BenchmarkYears()) known += (known.empty() ? "" : ", ") + std::to_string(y);
    return common::Status::InvalidArgument("no benchmark table for " + key + " (known: " + known +
                                           ")");
  }
  const json& table = Table()["years"][key];
  Levels levels;
  levels.year = year;
  if (inputs.deployment_frequency) {
    const FrequencyMeasures& f = *inputs.deployment_frequency;
    levels.deployment_frequency = Classify(table, "deployment_frequency", [&](const json& rule) {
      return FrequencyMeasure(f, rule.value("measure", "deploys_per_day"));
    });
  }
  auto classify_value = [&](const char* metric, const std::optional<double>& value) {
    std::optional<std::string> level;
    if (value) level = Classify(table, metric, [&](const json&) { return *value; });
    return level;
  };
  levels.lead_time = classify_value("lead_time_s", inputs.lead_time_s);
  levels.change_fail_rate = classify_value("change_fail_rate", inputs.change_fail_rate);
  levels.recovery = classify_value("recovery_s", inputs.recovery_s);
  return levels;
}

}  // namespace leadline::engine
