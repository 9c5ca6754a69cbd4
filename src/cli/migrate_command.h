// `leadline migrate`: brings the store's schema to this build's version, once; idempotent.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

std::function<int()> AddMigrateCommand(CLI::App& app);

}  // namespace leadline::cli
