// What a code host's CI reports of a repository: its pipelines, its deployment environments and
// the deployments to them (the rows the deployments of store/tables/history.h are derived from).
// Reached through Store::pipelines(), on the store's connection; used from one thread at a time,
// like the Store. Outside a transaction each call commits at once.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "model/pipeline.h"

namespace leadline::store {

class Pipelines {
 public:
  virtual ~Pipelines() = default;

  // Inserts or updates by uuid; returns how many rows were new or different.
  virtual common::Result<std::int64_t> UpsertPipelines(
      std::int64_t repo_id, const std::vector<model::Pipeline>& pipelines) = 0;
  // Ordered by creation time.
  virtual common::Result<std::vector<model::Pipeline>> LoadPipelines(std::int64_t repo_id) = 0;

  virtual common::Status UpsertEnvironments(
      std::int64_t repo_id, const std::vector<model::Environment>& environments) = 0;
  virtual common::Result<std::vector<model::Environment>> LoadEnvironments(
      std::int64_t repo_id) = 0;

  // Inserts or updates by uuid; returns how many rows were new or different.
  virtual common::Result<std::int64_t> UpsertPlatformDeployments(
      std::int64_t repo_id, const std::vector<model::PlatformDeployment>& deployments) = 0;
  // Ordered by start time, each joined with its stored environment's name and type.
  virtual common::Result<std::vector<model::PlatformDeployment>> LoadPlatformDeployments(
      std::int64_t repo_id) = 0;
};

}  // namespace leadline::store
