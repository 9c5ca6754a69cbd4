// The Grafana files `leadline export grafana` writes (docs/bi.md): provisioning for a PostgreSQL
// data source (its password read by Grafana from the environment, never written) and a file
// dashboard provider, and four dashboards over the analytics tables (DORA overview with levels,
// lead-time breakdown, deployments and failures, incidents and recovery) whose panels are SQL with
// Grafana's `$__timeFilter` / `$__timeGroupAlias` macros and the template variables `project`,
// `repository` (and `environment` where deployments are shown). The same options give the same
// bytes. Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>

#include "common/status.h"

namespace leadline::app {

struct GrafanaOptions {
  std::string url = "localhost:5432";  // the PostgreSQL server, host:port
  std::string database = "leadline";
  std::string user = "grafana";  // a role `leadline bi grant` made
  std::string sslmode = "require";
  std::string dashboards_path = "/var/lib/grafana/dashboards/leadline";  // where Grafana reads them
};

// The environment variable the data source's password is read from, by Grafana.
inline constexpr const char* kGrafanaPasswordVariable = "LEADLINE_GRAFANA_PASSWORD";
// The data source's uid, which every panel names.
inline constexpr const char* kGrafanaDatasourceUid = "leadline";

// The files by path relative to the output folder: "provisioning/datasources/leadline.yaml",
// "provisioning/dashboards/leadline.yaml", "dashboards/<uid>.json". InvalidArgument when an
// option is empty, over 200 bytes or holds a character other than A-Z a-z 0-9 _ . : / - @.
common::Result<std::map<std::string, std::string>> GrafanaFiles(const GrafanaOptions& options);

}  // namespace leadline::app
