// `leadline webhooks secret` (each connection's webhook secret, made on first use, to paste into
// Bitbucket's webhook settings), `leadline webhooks register` (Leadline's hook on every selected
// repository, through the API) and `leadline webhooks status` (each connection's last delivery
// and its outcome, each selected repository's hook).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "config/paths.h"
#include "model/repository.h"

namespace leadline::cli {

std::vector<std::function<int()>> AddWebhooksCommands(CLI::App& app);

// Registers (selected) or removes Leadline's hook on `repositories` and says what happened, or,
// without a public URL, how to set one. Returns 0, or 1 when a hook could not be changed.
int UpdateWebhooks(const config::Paths& paths, const std::vector<model::Repository>& repositories,
                   bool selected, const std::string& public_url);

}  // namespace leadline::cli
