// `leadline sync`: backfills the selected Bitbucket repositories. Single-threaded.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

// Adds the subcommand; the returned callback runs it when it was parsed and returns the exit
// code, or -1 when it was not the one given.
std::function<int()> AddSyncCommand(CLI::App& app);

}  // namespace leadline::cli
