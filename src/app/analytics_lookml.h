// The LookML project `leadline export lookml` writes (docs/bi.md): a model with one view per
// analytics table (dimensions from the columns' descriptions, time dimension groups, measures:
// counts, medians, and rates as ratios of two counts), explores with their joins, an
// `access_filter` on the user attribute `leadline_projects` on every explore, a datagroup whose
// `sql_trigger` reads leadline_analytics.refreshes and `persist_with` on the model, and a README
// for the Looker admin. The same input gives byte-identical files (a diff shows real changes).
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace leadline::app {

// The user attribute every explore's access filter reads: the project keys a person may see.
inline constexpr std::string_view kLookerProjectsAttribute = "leadline_projects";
// The datagroup the model persists with.
inline constexpr std::string_view kLookerDatagroup = "leadline_refresh";

// A Looker connection name: 1 to 64 of a-z, A-Z, 0-9, `_`, `-` and `.`.
common::Status CheckLookerConnectionName(std::string_view name);

// The project's files by path relative to its folder ("leadline.model.lkml",
// "views/deployments.view.lkml", "README.md"), over the connection `connection` (checked).
common::Result<std::map<std::string, std::string>> LookmlProject(std::string_view connection);

}  // namespace leadline::app
