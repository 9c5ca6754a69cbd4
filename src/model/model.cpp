#include "model/deployment.h"
#include "model/repository.h"

namespace leadline::model {

const char* RefKindName(RefKind kind) { return kind == RefKind::kTag ? "tag" : "branch"; }

const char* DeploymentStatusName(DeploymentStatus status) {
  return status == DeploymentStatus::kSuccess ? "success" : "failure";
}

}  // namespace leadline::model
