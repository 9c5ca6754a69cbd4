// `leadline serve`: the API server, until SIGTERM or SIGINT (then requests in flight finish).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

std::function<int()> AddServeCommand(CLI::App& app);

}  // namespace leadline::cli
