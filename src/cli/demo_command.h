// `leadline demo`: the product end to end, offline: a generated organisation on the local
// Bitbucket double, connected, backfilled and served with the dashboard, until Ctrl-C.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

std::function<int()> AddDemoCommand(CLI::App& app);

}  // namespace leadline::cli
