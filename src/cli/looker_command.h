// `leadline looker connect --url URL --client-id ID --client-secret-file FILE`, `looker status` and
// `looker refresh --datagroup NAME [--model M]`: the Looker instance whose datagroup Leadline
// triggers (docs/bi.md, "Looker refresh"). `connect` checks the API key by logging in and out and
// keeps the secret sealed with the store's key; it is never printed.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

std::function<int()> AddLookerCommands(CLI::App& app);

}  // namespace leadline::cli
