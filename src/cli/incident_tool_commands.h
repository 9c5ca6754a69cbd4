// The incident tools' commands: `leadline services list`, `leadline services map SERVICE --repos
// PATTERN` and `leadline incidents sync` (added to the `incidents` command of push_commands.h,
// which must be added first). `leadline connect pagerduty` is with the other connections.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace leadline::cli {

std::vector<std::function<int()>> AddIncidentToolCommands(CLI::App& app);

}  // namespace leadline::cli
