// `leadline sessions list|revoke`: the sessions of people signed in with the [oidc] provider,
// and ending them at once (one by id, or all of a person's).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace leadline::cli {

std::vector<std::function<int()>> AddSessionsCommands(CLI::App& app);

}  // namespace leadline::cli
