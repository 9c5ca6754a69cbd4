// Every API call passes the gate: its bearer token is checked against the stored tokens (401
// when missing, unknown, revoked or expired), the route's scope is checked (403), and the call
// is written to the audit log (who, what, when, outcome; never the token) whatever the outcome.
// Tokens and projects are read for each call, so a revocation holds at once. Calls refused
// before the gate are audited too. Thread-safe.
#pragma once

#include <functional>
#include <string>

#include "api/api_context.h"
#include "api/http_server.h"
#include "auth/api_tokens.h"

namespace leadline::api {

using GuardedHandler = std::function<HttpResponse(const HttpRequest&, const auth::Principal&)>;

RouteHandler Guarded(ApiContext& context, std::string scope, GuardedHandler handler);

// Audits a call refused before any token was read (a webhook delivery refused, a body over the
// limit), with no token name.
void AuditRefusal(ApiContext& context, const HttpRequest& request, int status);

}  // namespace leadline::api
