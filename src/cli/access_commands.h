// `leadline projects create|list|delete`, `leadline tokens create|list|revoke` and `leadline
// audit`: who may call the API, what it may see, and what it was asked (and refused).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace leadline::cli {

std::vector<std::function<int()>> AddAccessCommands(CLI::App& app);

}  // namespace leadline::cli
