// Deployments and the changes each one shipped. No I/O; values only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"

namespace leadline::model {

enum class DeploymentStatus { kSuccess, kFailure };

struct Deployment {
  std::int64_t id = 0;      // store-assigned
  std::string natural_key;  // unique per repository and stable across runs, e.g. "tag:v1.2.0"
  std::string source;       // "tag" or "deploy-log"
  std::string environment = "production";
  std::string ref;  // tag name, or empty
  std::string sha;  // 40 hex digits
  common::UnixSeconds finished_at = 0;
  DeploymentStatus status = DeploymentStatus::kSuccess;
  // Where the platform or CI says: when it started, and the branch it deployed (a merge proxy's:
  // the default branch). Tags and deploy logs give neither (nullopt, empty); never stored in
  // `deployments`, taken from the platform's record.
  std::optional<common::UnixSeconds> started_at;
  std::string branch;
  // A successful release to several production environments counted once: those where it
  // failed without a successful re-run (it then counts as failed). Derived, never stored.
  std::vector<std::string> failed_environments;

  bool operator==(const Deployment&) const = default;
};

// One commit a deployment shipped. `credited` is false for commits the first deployment reaches
// beyond its lookback: they are marked as shipped but give no lead time.
struct DeploymentChange {
  std::int64_t deployment_id = 0;
  std::string sha;
  bool credited = true;
};

const char* DeploymentStatusName(DeploymentStatus status);

}  // namespace leadline::model
