// Every API call passes the gate: its bearer token is checked against the stored tokens (401
// when missing, unknown, revoked or expired), or, without an Authorization header where people
// sign in ([oidc]), its session cookie against the stored sessions (auth/person_sessions.h);
// the route's scope is checked (403), and the call is audited. A call with a valid identity is
// written to the audit log (who, what, when, outcome; never the token), a 403 included. A call
// without one is only counted, per client address, reason and minute (ApiContext::refused), so
// that a flood of them cannot fill the disk. Tokens, sessions and projects are read for each
// call, so a revocation holds at once. A session changes things (any method but GET and HEAD)
// only with the dashboard's own Origin. Thread-safe.
//
// Refusals carry a reason (HttpResponse::refusal): no_token, bad_token, revoked_token,
// expired_token (the token's, from auth::Authenticate), unknown_session, revoked_session,
// expired_session, no_role (a session's), unavailable (the store could not be read),
// missing_scope, cross_origin, and for CI tokens ci_token (not valid) and ci_rule (not allowed).
#pragma once

#include <functional>
#include <string>

#include "api/api_context.h"
#include "api/http_server.h"
#include "auth/api_tokens.h"

namespace leadline::api {

using GuardedHandler = std::function<HttpResponse(const HttpRequest&, const auth::Principal&)>;

RouteHandler Guarded(ApiContext& context, std::string scope, GuardedHandler handler);

// The same gate, which also lets a CI job in with its OIDC token where a [[ci_trust]] rule
// trusts its issuer (auth/ci_trust.h; the push routes): the token's project, on a GitLab
// connection of that instance, is the one repository the call may write (the principal's
// `ci_repository`); `incidents` routes need a rule that allows them. A token the rules refuse
// is a 401 (not valid) or 403 (valid, not allowed) saying why, counted as ci_token or ci_rule;
// an allowed call is audited under the job's issuer, project, pipeline, job and subject.
RouteHandler GuardedWithCi(ApiContext& context, std::string scope, bool incidents,
                           GuardedHandler handler);

// Writes one audit entry for a call whose caller proved who it is some other way than a token
// (`who`: a webhook delivery signed with a connection's secret).
void AuditCall(ApiContext& context, const HttpRequest& request, const std::string& who, int status);

}  // namespace leadline::api
