// `leadline bi grant --role NAME --projects P1,P2 [--password-file FILE]`, `bi revoke --role
// NAME` and `bi roles`: read-only PostgreSQL roles for BI tools and SQL clients that see only
// their projects' rows of the analytics tables (docs/bi.md, row-level security).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

std::function<int()> AddBiCommands(CLI::App& app);

}  // namespace leadline::cli
