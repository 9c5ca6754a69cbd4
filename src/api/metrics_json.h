// The metrics as JSON, one definition for every output: `leadline report`, the scope report and
// the REST API print the same fields the same way. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "engine/data_quality.h"
#include "engine/dora_report.h"
#include "engine/pr_stages.h"

namespace leadline::api {

nlohmann::ordered_json OrNull(const std::optional<double>& value);
nlohmann::ordered_json OrNull(const std::optional<std::int64_t>& value);
nlohmann::ordered_json OrNull(const std::optional<std::string>& value);
// An RFC 3339 time, or null.
nlohmann::ordered_json TimeOrNull(std::optional<common::UnixSeconds> t);
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
// One pull request: its author, progress, size, review depth and stages.
nlohmann::ordered_json PullRequestRowJson(const engine::PullRequestStages& row);
// One incident and the deployment it was tied to.
nlohmann::ordered_json IncidentRowJson(const engine::IncidentRow& row);
// One data-quality finding with what to change.
nlohmann::ordered_json FindingJson(const engine::Finding& finding);

}  // namespace leadline::api
