// People's sign-in routes, where [oidc] is configured (auth/oidc_sign_in.h):
//   GET  /auth/providers       what the dashboard offers: {"oidc": {"name", "sign_in"}} or null
//   GET  /auth/oidc/login      starts a sign-in: stores the attempt, redirects to the provider
//   GET  /auth/oidc/callback   the provider's answer: checks `state` (single use, 10 minutes),
//                              exchanges the code, verifies the ID token, maps roles, stores a
//                              session and sets its cookie; or a page saying why not
//   GET  /auth/session         who the caller is (a session or a token) and what they may see
//   POST /auth/sign-out        ends the cookie's session and clears the cookie
// A person whose claim values match no [[roles]] is refused with a page that names whom to ask
// (the `contact` of [oidc]), and audited. Refused callbacks are counted (bad_state,
// sign_in_refused). Pages are never cached. Thread-safe.
#pragma once

#include "api/api_context.h"
#include "api/http_server.h"

namespace leadline::api {

void AddSignInRoutes(HttpServer& server, ApiContext& context);

}  // namespace leadline::api
