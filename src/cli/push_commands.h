// What tools push, from files: `leadline incidents import FILE` and `leadline incidents list`
// (incidents from an incident tool's export, which the failure and recovery rules use), and
// `leadline deployments import FILE` (deployments CI reports).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace leadline::cli {

std::vector<std::function<int()>> AddPushCommands(CLI::App& app);

}  // namespace leadline::cli
