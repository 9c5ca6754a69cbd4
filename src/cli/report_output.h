// Renders a RepositoryReport for people (an aligned table), for scripts (JSON, the stable
// interface) and for spreadsheets (CSV, one row per deployment). Pure functions; thread-safe.
#pragma once

#include <string>

#include "app/repository_report.h"

namespace leadline::cli {

std::string RenderTable(const app::RepositoryReport& report);
std::string RenderJson(const app::RepositoryReport& report);
std::string RenderCsv(const app::RepositoryReport& report);

}  // namespace leadline::cli
