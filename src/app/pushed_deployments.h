// The composition behind `leadline deployments import FILE` (and later `POST /v1/deployments`):
// deployments CI reports, stored as platform deployment records of the connected repositories
// they name, so that they count exactly as Bitbucket's own. Single-threaded; owns what it opens.
#pragma once

#include <string>
#include <vector>

#include "sources/push/deployment_json.h"
#include "store/store.h"

namespace leadline::app {

struct DeploymentImport {
  std::size_t read = 0;     // deployments in the file
  std::size_t changed = 0;  // new, or different from what was stored
};

// Stores `deployments`, all or none: every repository they name must be a connected one
// (InvalidArgument naming the unknown ones otherwise). Upserts by the caller's id.
common::Result<DeploymentImport> StorePushedDeployments(
    store::Store& store, const std::vector<sources::PushedDeployment>& deployments);

// Reads the JSON file at `path` (sources/push/deployment_json.h) and stores its deployments.
common::Result<DeploymentImport> ImportDeployments(const std::string& db_path,
                                                   const std::string& path);

}  // namespace leadline::app
