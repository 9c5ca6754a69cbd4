// `leadline connect bitbucket-cloud|bitbucket-dc` and `leadline check`: register a Bitbucket
// connection after checking it, and re-check the stored ones. Single-threaded.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

// Adds the subcommands; each returned callback runs its subcommand when it was parsed and returns
// the exit code, or -1 when it was not the one given.
std::vector<std::function<int()>> AddConnectCommands(CLI::App& app);

}  // namespace leadline::cli
