// `leadline services send-changes SERVICE --routing-key-file F` (and `--stop`), and `leadline
// services changes [--send]`: production deployments sent to PagerDuty as change events
// (app/change_events.h), added to the `services` command of incident_tool_commands.h, which must
// be added first.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace leadline::cli {

std::vector<std::function<int()>> AddChangeEventCommands(CLI::App& app);

}  // namespace leadline::cli
