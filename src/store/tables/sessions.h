// People's sign-in (store/sql/session_rows.h says more): sign-ins under way, single use, at most
// a bounded number at a time; and sessions, by the hash of their cookie's secret. Reached through
// Store::sessions(), on the store's connection; used from one thread at a time, like the Store.
// Outside a transaction each call commits at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "model/access.h"

namespace leadline::store {

class Sessions {
 public:
  virtual ~Sessions() = default;

  // Stores a sign-in under way after deleting those begun before `expired_before`; Unavailable,
  // storing nothing, when `most` are under way already.
  virtual common::Status SaveSignInAttempt(const model::SignInAttempt& attempt,
                                           common::UnixSeconds expired_before,
                                           std::int64_t most) = 0;
  // Deletes and returns the attempt of that state, if begun at or after `expired_before`.
  virtual common::Result<std::optional<model::SignInAttempt>> TakeSignInAttempt(
      const std::string& state_hash, common::UnixSeconds expired_before) = 0;
  virtual common::Result<std::int64_t> InsertSession(const model::PersonSession& session) = 0;
  virtual common::Result<std::optional<model::PersonSession>> LoadSession(
      const std::string& secret_hash) = 0;
  virtual common::Status TouchSession(std::int64_t id, common::UnixSeconds at) = 0;
  virtual common::Result<std::vector<model::PersonSession>> LoadSessions(
      common::UnixSeconds now) = 0;
  // By id, or every session of a person (name or subject); returns how many were revoked.
  virtual common::Result<std::int64_t> RevokeSessions(std::optional<std::int64_t> id,
                                                      const std::string& person,
                                                      common::UnixSeconds at) = 0;
};

}  // namespace leadline::store
