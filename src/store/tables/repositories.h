// The repositories Leadline knows, each keyed by its source and location: what the connections
// list (with the person's selection and the upstream's visibility), when each was last synced and
// the id of the webhook it has. Reached through Store::repositories(), on the store's connection;
// used from one thread at a time, like the Store. Outside a transaction each call commits at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "model/repository.h"

namespace leadline::store {

class Repositories {
 public:
  virtual ~Repositories() = default;

  virtual common::Result<std::optional<model::Repository>> FindRepository(
      const std::string& source, const std::string& location) = 0;
  // Inserts or updates by (source, location); returns the id. Keeps `selected` as stored.
  virtual common::Result<std::int64_t> UpsertRepository(const model::Repository& repo) = 0;
  // The repositories of every connection, ordered by source and location.
  virtual common::Result<std::vector<model::Repository>> LoadConnectedRepositories() = 0;
  virtual common::Status SetSelected(std::int64_t repo_id, bool selected) = 0;
  // Upserting a repository makes it visible again.
  virtual common::Status SetVisible(std::int64_t repo_id, bool visible) = 0;
  virtual common::Status SetSyncedAt(std::int64_t repo_id, common::UnixSeconds at) = 0;
  virtual common::Status SetWebhookId(std::int64_t repo_id, const std::string& webhook_id) = 0;
};

}  // namespace leadline::store
