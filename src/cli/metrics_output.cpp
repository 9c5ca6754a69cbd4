#include "cli/metrics_output.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace leadline::cli {

using common::FormatHumanDuration;
using common::FormatRfc3339;
using nlohmann::ordered_json;

std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

std::string Percent(double fraction) { return Fixed(fraction * 100, 1) + "%"; }

std::string Duration(double seconds) {
  return FormatHumanDuration(static_cast<common::Seconds>(std::llround(seconds)));
}

namespace {

template <typename T>
ordered_json ValueOrNull(const std::optional<T>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

}  // namespace

ordered_json OrNull(const std::optional<double>& value) { return ValueOrNull(value); }
ordered_json OrNull(const std::optional<std::int64_t>& value) { return ValueOrNull(value); }
ordered_json OrNull(const std::optional<std::string>& value) { return ValueOrNull(value); }

ordered_json OptionalNumber(bool present, double value) {
  return present ? ordered_json(value) : ordered_json(nullptr);
}

std::string Level(const std::optional<std::string>& level) { return level.value_or("-"); }

ordered_json LevelsJson(const engine::Levels& levels) {
  return {{"benchmark", levels.year},
          {"deployment_frequency", OrNull(levels.deployment_frequency)},
          {"lead_time", OrNull(levels.lead_time)},
          {"change_fail_rate", OrNull(levels.change_fail_rate)},
          {"recovery", OrNull(levels.recovery)}};
}

ordered_json DistributionJson(const engine::Distribution& d) {
  const bool any = d.count > 0;
  return {{"count", d.count},
          {"median_s", OptionalNumber(any, d.median)},
          {"p75_s", OptionalNumber(any, d.p75)},
          {"p90_s", OptionalNumber(any, d.p90)},
          {"mean_s", OptionalNumber(any, d.mean)}};
}

namespace {

// A distribution of counts (lines), not of seconds.
ordered_json SizeJson(const engine::Distribution& d) {
  const bool any = d.count > 0;
  return {{"count", d.count},
          {"median", OptionalNumber(any, d.median)},
          {"p75", OptionalNumber(any, d.p75)},
          {"p90", OptionalNumber(any, d.p90)},
          {"mean", OptionalNumber(any, d.mean)}};
}

}  // namespace

// The lead-time breakdown over the pull requests merged in the window.
ordered_json StagesJson(const engine::StageSummary& s) {
  return {{"merged", s.merged},
          {"bots_excluded", s.bots_excluded},
          {"commits_estimated", s.estimated},
          {"coding", DistributionJson(s.coding)},
          {"pickup", DistributionJson(s.pickup)},
          {"review", DistributionJson(s.review)},
          {"deploy", DistributionJson(s.deploy)},
          {"total", DistributionJson(s.total)},
          {"size_lines", SizeJson(s.size_lines)}};
}

ordered_json SummaryJson(const engine::Summary& s) {
  const bool has_lead = s.lead_time_s.count > 0;
  const bool has_recovery = s.recovery_s.count > 0;
  return {
      {"window",
       {{"since", FormatRfc3339(s.window.since)},
        {"until", FormatRfc3339(s.window.until)},
        {"days", s.window_days}}},
      {"deployments", s.deployments},
      {"deployment_attempts", s.deployment_attempts},
      {"deployment_frequency_per_day", s.frequency.deploys_per_day},
      {"deploys_per_week_median", s.frequency.deploys_per_week},
      {"deploy_days_per_week_median", s.frequency.deploy_days_per_week},
      {"median_time_between_deployments_s", OrNull(s.median_time_between_deployments_s)},
      {"lead_time_median_s", OptionalNumber(has_lead, s.lead_time_s.median)},
      {"lead_time_p75_s", OptionalNumber(has_lead, s.lead_time_s.p75)},
      {"lead_time_p90_s", OptionalNumber(has_lead, s.lead_time_s.p90)},
      {"lead_time_mean_s", OptionalNumber(has_lead, s.lead_time_s.mean)},
      {"lead_time_sample", s.lead_time_s.count},
      {"merge_commits_excluded", s.merge_commits_excluded},
      {"change_fail_rate", OrNull(s.change_fail_rate)},
      {"failed_deployments", s.failed_deployments},
      {"recovery_median_s", OptionalNumber(has_recovery, s.recovery_s.median)},
      {"recovery", DistributionJson(s.recovery_s)},
      {"unrecovered_failures", s.unrecovered_failures},
      {"rework_rate", OrNull(s.rework_rate)},
      {"rework_deployments", s.rework_deployments},
      {"incidents", s.incidents},
      {"incidents_linked", s.incidents_linked},
      {"levels", LevelsJson(s.levels)},
  };
}

namespace {

// One row of the summary table: metric, value, sample, level.
struct TableRow {
  std::string metric, value, sample, level;
};

}  // namespace

std::string SummaryTable(const engine::Summary& s) {
  const engine::Levels& l = s.levels;
  std::vector<TableRow> rows;
  rows.push_back({"Deployment frequency",
                  Fixed(s.frequency.deploys_per_day, 2) + "/day (" +
                      Fixed(s.frequency.deploys_per_week, 1) + "/week median)",
                  std::to_string(s.deployments) + " deployments", Level(l.deployment_frequency)});
  const auto& lt = s.lead_time_s;
  rows.push_back({"Lead time for changes",
                  lt.count ? Duration(lt.median) + " median, p75 " + Duration(lt.p75) + ", p90 " +
                                 Duration(lt.p90)
                           : "no changes",
                  std::to_string(lt.count) + " changes", Level(l.lead_time)});
  rows.push_back(
      {"Change fail rate", s.change_fail_rate ? Percent(*s.change_fail_rate) : "no deployments",
       std::to_string(s.failed_deployments) + " of " + std::to_string(s.deployment_attempts),
       Level(l.change_fail_rate)});
  std::string recovery =
      s.recovery_s.count ? Duration(s.recovery_s.median) + " median" : "no recovered failures";
  if (s.unrecovered_failures) recovery += ", " + std::to_string(s.unrecovered_failures) + " open";
  rows.push_back({"Failed deployment recovery", recovery,
                  std::to_string(s.recovery_s.count) + " recoveries", Level(l.recovery)});
  rows.push_back(
      {"Rework rate", s.rework_rate ? Percent(*s.rework_rate) : "no deployments",
       std::to_string(s.rework_deployments) + " of " + std::to_string(s.deployment_attempts), "-"});

  std::size_t widths[4] = {6, 5, 6, 5};
  for (const TableRow& row : rows) {
    widths[0] = std::max(widths[0], row.metric.size());
    widths[1] = std::max(widths[1], row.value.size());
    widths[2] = std::max(widths[2], row.sample.size());
  }
  std::ostringstream out;
  auto line = [&](const std::string& a, const std::string& b, const std::string& c,
                  const std::string& d) {
    char buffer[512];
    std::snprintf(buffer, sizeof(buffer), "%-*s  %-*s  %*s  %s\n", static_cast<int>(widths[0]),
                  a.c_str(), static_cast<int>(widths[1]), b.c_str(), static_cast<int>(widths[2]),
                  c.c_str(), d.c_str());
    out << buffer;
  };
  line("Metric", "Value", "Sample", "Level");
  for (const TableRow& row : rows) line(row.metric, row.value, row.sample, row.level);
  return out.str();
}

std::string StagesTable(const engine::StageSummary& st) {
  if (st.merged == 0) return "";
  std::ostringstream out;
  out << "\nPull request stages (median, over " << st.merged - st.bots_excluded
      << " merged in the window";
  if (st.bots_excluded > 0) out << "; " << st.bots_excluded << " by bots left out";
  out << ")\n";
  for (const auto& [name, d] : {std::pair{"coding", &st.coding}, std::pair{"pickup", &st.pickup},
                                std::pair{"review", &st.review}, std::pair{"deploy", &st.deploy},
                                std::pair{"total", &st.total}}) {
    out << "  " << name << std::string(8 - std::string(name).size(), ' ')
        << (d->count > 0 ? FormatHumanDuration(static_cast<common::Seconds>(d->median)) : "-")
        << "  (" << d->count << ")\n";
  }
  if (st.size_lines.count > 0) {
    out << "  size    " << Fixed(st.size_lines.median, 0) << " lines changed  ("
        << st.size_lines.count << ")\n";
  }
  return out.str();
}

}  // namespace leadline::cli
