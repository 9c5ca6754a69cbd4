// The pieces every report table shares: the summary's table, the pull request stages' table, and
// the number formats (the JSON pieces are api/metrics_json.h). One definition, so that a
// repository's report and a scope's report print their numbers the same way.
#pragma once

#include <optional>
#include <string>

#include "api/metrics_json.h"
#include "common/time.h"
#include "engine/dora_report.h"
#include "engine/pr_stages.h"

namespace leadline::cli {

using api::DeploymentRowJson;
using api::DistributionJson;
using api::FindingJson;
using api::IncidentRowJson;
using api::LevelsJson;
using api::OptionalNumber;
using api::OrNull;
using api::PullRequestRowJson;
using api::StagesJson;
using api::SummaryJson;

std::string Fixed(double value, int decimals);
std::string Percent(double fraction);
std::string Duration(double seconds);                        // "1d 2h"
std::string Level(const std::optional<std::string>& level);  // "-" when none

// The five metrics with their samples and levels, one line each, under a header line.
std::string SummaryTable(const engine::Summary& s);
// "Pull request stages (median, ...)" and one line per stage; empty when nothing was merged.
std::string StagesTable(const engine::StageSummary& s);

}  // namespace leadline::cli
