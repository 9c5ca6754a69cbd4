// `leadline feedback enable|disable|status`: turns delivery figures on pull requests on or off
// per repository (shell-style patterns on its location) and shows which repositories have them
// and how the outbox of posts stands. Added under `leadline feedback` by feedback_command.cpp.
// Not thread-safe; used while parsing and running one command.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

// Adds the three subcommands to `feedback`; the function runs the one parsed (-1: none was).
std::function<int()> AddFeedbackSettingsCommands(CLI::App* feedback);

}  // namespace leadline::cli
