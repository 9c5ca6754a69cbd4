// `leadline export csv --table T [--project P] [--window 90d|all] [--until TIME]`: an analytics
// table's rows (docs/bi.md) as CSV on stdout, for spreadsheets. `leadline export lookml --out DIR
// [--connection NAME]`: the LookML project over the analytics tables (app/analytics_lookml.h).
// `leadline export grafana --out DIR [--url --database --user --sslmode --dashboards-path]`:
// Grafana's provisioning files and dashboards (app/analytics_grafana.h).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

std::function<int()> AddExportCommands(CLI::App& app);

}  // namespace leadline::cli
