// Who may read what: projects (named groups of repositories that roles are scoped to) and API
// tokens, of which only hashes are stored. Reached through Store::access(), on the store's
// connection; used from one thread at a time, like the Store. Outside a transaction each call
// commits at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "model/access.h"

namespace leadline::store {

class Access {
 public:
  virtual ~Access() = default;

  // Saving a project replaces its repositories. Returns its id.
  virtual common::Result<std::int64_t> SaveProject(const model::Project& project) = 0;
  virtual common::Result<std::vector<model::Project>> LoadProjects() = 0;
  virtual common::Result<bool> DeleteProject(const std::string& name) = 0;  // false: none such

  virtual common::Result<std::int64_t> InsertApiToken(const model::ApiToken& token) = 0;
  virtual common::Result<std::vector<model::ApiToken>> LoadApiTokens() = 0;
  // Marks the unrevoked token of that name; false when there is none.
  virtual common::Result<bool> RevokeApiToken(const std::string& name, common::UnixSeconds at) = 0;
  virtual common::Status TouchApiToken(std::int64_t id, common::UnixSeconds at) = 0;
};

}  // namespace leadline::store
