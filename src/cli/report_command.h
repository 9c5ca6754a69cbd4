// `leadline report`: the DORA report of a local git repository. Registers its flags on a CLI11
// app and runs it. Single-threaded.
#pragma once

#include <CLI/CLI.hpp>

namespace leadline::cli {

// Adds the subcommand; the returned callback runs it and returns the process exit code.
std::function<int()> AddReportCommand(CLI::App& app);

}  // namespace leadline::cli
