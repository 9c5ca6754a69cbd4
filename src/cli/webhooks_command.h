// `leadline webhooks secret` (each connection's webhook secret, made on first use, to paste into
// Bitbucket's webhook settings) and `leadline webhooks status` (each connection's last delivery
// and its outcome).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace leadline::cli {

std::vector<std::function<int()>> AddWebhooksCommands(CLI::App& app);

}  // namespace leadline::cli
