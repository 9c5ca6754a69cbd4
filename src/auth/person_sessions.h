// Who a person's session cookie speaks for: the same Principal an API token resolves to (the
// repositories of the projects their roles grant, auth/api_tokens.h RepositoriesOf), so that
// every route filters people and service accounts alike. The roles are worked out from the
// claim values the session keeps and the server's [[roles]] on every request.
//
// Pure functions over values the caller loads; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/api_tokens.h"
#include "auth/oidc_sign_in.h"
#include "common/status.h"
#include "model/access.h"

namespace leadline::auth {

// How often a session's last use is written: its idle expiry is this precise.
inline constexpr common::Seconds kSessionTouchEvery = 60;

// The audit log's name for a person: "person <name>".
std::string PersonAuditName(const std::string& name);

// Unauthenticated when the session is unknown (nullopt), revoked, past its absolute expiry,
// unused for longer than the idle time, or when the roles no longer grant it anything; `refusal`
// is then set to unknown_session, revoked_session, expired_session or no_role.
common::Result<Principal> AuthenticateSession(const std::optional<model::PersonSession>& session,
                                              const OidcSettings& settings,
                                              const std::vector<model::Project>& projects,
                                              common::UnixSeconds now, std::string* refusal);

}  // namespace leadline::auth
