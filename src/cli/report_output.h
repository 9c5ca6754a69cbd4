// Renders a GitReport for people (an aligned table), for scripts (JSON, the stable interface) and
// for spreadsheets (CSV, one row per deployment). Pure functions; thread-safe.
#pragma once

#include <string>

#include "app/git_report.h"

namespace leadline::cli {

std::string RenderTable(const app::GitReport& report);
std::string RenderJson(const app::GitReport& report);
std::string RenderCsv(const app::GitReport& report);

}  // namespace leadline::cli
