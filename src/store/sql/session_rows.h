// People's sign-in sessions and the sign-ins under way (OIDC, api/sign_in_routes.h): free
// functions over a connection, written once for every engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/access.h"
#include "store/sql/connection.h"

namespace leadline::store::sql {

// Stores a sign-in under way after deleting those begun before `expired_before`. Refuses with
// Unavailable, storing nothing, when `most` are under way already: anyone may start a
// sign-in, and a flood of them must not fill the store.
Status SaveSignInAttempt(Connection& db, const model::SignInAttempt& attempt,
                         common::UnixSeconds expired_before, std::int64_t most);
// Deletes and returns the attempt of that state, if it was begun at or after `expired_before`.
Result<std::optional<model::SignInAttempt>> TakeSignInAttempt(Connection& db,
                                                              const std::string& state_hash,
                                                              common::UnixSeconds expired_before);

// Inserts a session, after deleting those that ended (expired or revoked) a day before its start.
Result<std::int64_t> InsertSession(Connection& db, const model::PersonSession& session);
Result<std::optional<model::PersonSession>> LoadSession(Connection& db,
                                                        const std::string& secret_hash);
Status TouchSession(Connection& db, std::int64_t id, common::UnixSeconds at);
// Sessions whose absolute expiry is after `now`, revoked ones included, oldest first.
Result<std::vector<model::PersonSession>> LoadSessions(Connection& db, common::UnixSeconds now);
// Revokes the unrevoked session with that id (`id` set) or every unrevoked session of the person
// whose name or subject is `person`; returns how many.
Result<std::int64_t> RevokeSessions(Connection& db, std::optional<std::int64_t> id,
                                    const std::string& person, common::UnixSeconds at);

}  // namespace leadline::store::sql
