// Deployments CI pushes, applied to the store: platform deployment records of the connected
// repositories they name (provider kPush, the caller's id), so that they count as the host's own. A
// deployment is keyed by its repository and the caller's id: the same id in two repositories is
// two deployments, so a push never changes a deployment of a repository it may not write. Used
// by `leadline deployments import` and `POST /v1/deployments`. Single-threaded per store.
#pragma once

#include <cstddef>
#include <vector>

#include "ingest/write_scope.h"
#include "sources/push/deployment_json.h"
#include "store/store.h"

namespace leadline::ingest {

struct DeploymentImport {
  std::size_t read = 0;     // deployments given
  std::size_t changed = 0;  // new, or different from what was stored
};

// Stores `deployments`, all or none, in one transaction: every repository they name must be a
// connected one `scope` may write (NotFound "no repository '<location>'" for the first that is
// not, alike whether it is missing or outside the scope). Upserts by the caller's id.
common::Result<DeploymentImport> StorePushedDeployments(
    store::Store& store, const std::vector<sources::PushedDeployment>& deployments,
    const WriteScope& scope);

}  // namespace leadline::ingest
