// The composition behind `leadline deployments import FILE`: deployments CI reports, read from a
// JSON file and stored beside Bitbucket's own (ingest/pushed_deployments.h). Single-threaded;
// owns what it opens.
#pragma once

#include <string>

#include "config/paths.h"
#include "ingest/pushed_deployments.h"

namespace leadline::app {

// Reads the JSON file at `path` (sources/push/deployment_json.h) and stores its deployments.
common::Result<ingest::DeploymentImport> ImportDeployments(const config::Paths& paths,
                                                           const std::string& path);

}  // namespace leadline::app
