// Where each incremental sync of a repository's entity (pull requests, pipelines, ...) starts
// next: an opaque cursor per repository and entity, written in the same transaction as the page
// it follows. Reached through Store::cursors(), on the store's connection; used from one thread
// at a time, like the Store.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace leadline::store {

class SyncCursors {
 public:
  virtual ~SyncCursors() = default;

  // Where the next sync of `entity` starts; empty when it never ran.
  virtual common::Result<std::string> LoadCursor(std::int64_t repo_id,
                                                 const std::string& entity) = 0;
  virtual common::Status SaveCursor(std::int64_t repo_id, const std::string& entity,
                                    const std::string& cursor) = 0;
};

}  // namespace leadline::store
