// `leadline store copy`: moves a whole store to another, verified table by table.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

std::function<int()> AddStoreCommands(CLI::App& app);

}  // namespace leadline::cli
