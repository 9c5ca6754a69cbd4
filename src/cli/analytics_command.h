// `leadline analytics refresh [--full]`: brings the analytics tables BI tools read (docs/bi.md)
// up to date with the store, rewriting only what changed (everything with --full).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

std::function<int()> AddAnalyticsCommands(CLI::App& app);

}  // namespace leadline::cli
