// Deployments pushed by CI, the shape `leadline deployments import` reads and
// `POST /v1/deployments` accepts:
//
//   {"id": "build-4711", "repository": "acme/api", "environment": "production",
//    "commit": "3f2a9c1e7b04", "status": "success", "started_at": "2024-03-05T10:31:00Z",
//    "finished_at": "2024-03-05T10:40:00Z", "pipeline_id": "deploy-api", "run_id": "4711"}
//
// id (the caller's, for idempotency), repository, environment, commit, status and finished_at
// are required; status is success, failed, stopped or in_progress (which needs no finished_at).
// Text fields are at most kMaxIdentifierBytes and hold no control characters.
// They become platform deployment records (provider kPush), so they count exactly as the platform's
// own: production when their environment is named as such (settings' production_environments).
// A document is one deployment, an array of at least one and at most `max_items`, or
// {"deployments": [...]}. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/pipeline.h"
#include "sources/push/field_error.h"
#include "sources/push/push_limits.h"

namespace leadline::sources {

struct PushedDeployment {
  std::string repository;  // "acme/api"
  model::PlatformDeployment deployment;
};

struct ParsedDeployments {
  std::vector<PushedDeployment> deployments;
  std::vector<FieldError> errors;
};
ParsedDeployments ReadDeployments(std::string_view json, std::size_t max_items);

// On bad input the error's message lists every problem, one per line.
common::Result<std::vector<PushedDeployment>> ParseDeployments(std::string_view json,
                                                               std::size_t max_items);

}  // namespace leadline::sources
