// `leadline serve`: the API server, until SIGTERM or SIGINT (then requests in flight finish).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <utility>

#include "app/serve.h"

namespace leadline::cli {

std::function<int()> AddServeCommand(CLI::App& app);

// "HOST:PORT" of --listen.
common::Result<std::pair<std::string, int>> ParseListen(const std::string& listen);

// The dashboard's files: `flag` when given, else `web/` beside the program (an installed copy),
// else the source tree's build output (web/dist); empty when none is built.
std::string FindWebRoot(const std::string& flag);

// Serves `request` until SIGTERM or SIGINT, saying where (and then `banner`) on stdout. Returns
// the exit code.
int ServeUntilStopped(const app::ServeRequest& request, const std::string& banner);

}  // namespace leadline::cli
