// The pieces every report output shares: the summary's JSON fields and table, the pull request
// stages' JSON and table, and the number formats. One definition, so that a repository's report
// and a scope's report print their numbers the same way.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "common/time.h"
#include "engine/dora_report.h"
#include "engine/pr_stages.h"

namespace leadline::cli {

std::string Fixed(double value, int decimals);
std::string Percent(double fraction);
std::string Duration(double seconds);                        // "1d 2h"
std::string Level(const std::optional<std::string>& level);  // "-" when none

nlohmann::ordered_json OrNull(const std::optional<double>& value);
nlohmann::ordered_json OrNull(const std::optional<std::int64_t>& value);
nlohmann::ordered_json OrNull(const std::optional<std::string>& value);
nlohmann::ordered_json OptionalNumber(bool present, double value);
nlohmann::ordered_json LevelsJson(const engine::Levels& levels);
nlohmann::ordered_json DistributionJson(const engine::Distribution& d);
nlohmann::ordered_json StagesJson(const engine::StageSummary& s);
// The summary's fields: window, deployments, lead time, change fail rate, recovery, rework,
// incidents and levels.
nlohmann::ordered_json SummaryJson(const engine::Summary& s);

// The five metrics with their samples and levels, one line each, under a header line.
std::string SummaryTable(const engine::Summary& s);
// "Pull request stages (median, ...)" and one line per stage; empty when nothing was merged.
std::string StagesTable(const engine::StageSummary& s);

}  // namespace leadline::cli
