#include "cli/metrics_output.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace leadline::cli {

using common::FormatHumanDuration;
using common::FormatRfc3339;

std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

std::string Percent(double fraction) { return Fixed(fraction * 100, 1) + "%"; }

std::string Duration(double seconds) {
  return FormatHumanDuration(static_cast<common::Seconds>(std::llround(seconds)));
}

std::string Level(const std::optional<std::string>& level) { return level.value_or("-"); }

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
  if (st.before_first_lookback > 0) {
    out << "; " << st.before_first_lookback
        << " merged before the first deployment's lookback have no deploy or total stage";
  }
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
