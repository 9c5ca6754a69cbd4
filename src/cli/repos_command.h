// `leadline repos list|select|deselect` (and `activate`/`deactivate`, the same as select and
// deselect): which repositories of the connections Leadline syncs.
// Single-threaded.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace leadline::cli {

// Adds the subcommands; each returned callback runs its subcommand when it was parsed and returns
// the exit code, or -1 when it was not the one given.
std::vector<std::function<int()>> AddReposCommands(CLI::App& app);

}  // namespace leadline::cli
