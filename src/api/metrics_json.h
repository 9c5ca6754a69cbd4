// The metrics as JSON, one definition for every output: `leadline report`, the scope report and
// the REST API print the same fields the same way. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "engine/dora_report.h"
#include "engine/pr_stages.h"

namespace leadline::api {

nlohmann::ordered_json OrNull(const std::optional<double>& value);
nlohmann::ordered_json OrNull(const std::optional<std::int64_t>& value);
nlohmann::ordered_json OrNull(const std::optional<std::string>& value);
nlohmann::ordered_json OptionalNumber(bool present, double value);
nlohmann::ordered_json LevelsJson(const engine::Levels& levels);
nlohmann::ordered_json DistributionJson(const engine::Distribution& d);
// The lead-time breakdown: counts, each stage's distribution, and the size in lines.
nlohmann::ordered_json StagesJson(const engine::StageSummary& s);
// The summary's fields: window, deployments, lead time, change fail rate, recovery, rework,
// incidents and levels.
nlohmann::ordered_json SummaryJson(const engine::Summary& s);
// One deployment of a report: what it shipped, whether and why it failed, what restored it.
nlohmann::ordered_json DeploymentRowJson(const model::Deployment& deployment,
                                         const engine::DeploymentRow& row);

}  // namespace leadline::api
