// `leadline projects create|list|delete` and `leadline tokens create|list|revoke`: who may call
// the API, and what it may see.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace leadline::cli {

std::vector<std::function<int()>> AddAccessCommands(CLI::App& app);

}  // namespace leadline::cli
