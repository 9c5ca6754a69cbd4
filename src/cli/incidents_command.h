// `leadline incidents import FILE` and `leadline incidents list`: incidents from an incident
// tool's export (or written by hand), which the failure and recovery rules use.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace leadline::cli {

std::vector<std::function<int()>> AddIncidentsCommands(CLI::App& app);

}  // namespace leadline::cli
