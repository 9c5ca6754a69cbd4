// Who may ask what: API tokens of service accounts, the projects that group repositories (the
// unit of access), and the audit trail of API calls: one entry per call made with a valid
// identity, and counts of the refusals made without one. No I/O; values only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"

namespace leadline::model {

// A project: a named set of repositories. Tokens are scoped to projects.
struct Project {
  std::int64_t id = 0;  // store-assigned
  std::string name;     // unique: "payments"
  std::vector<std::int64_t> repository_ids;
};

// A service account's token. Only a hash of the secret is kept: the secret is shown once.
struct ApiToken {
  std::int64_t id = 0;                // store-assigned
  std::string name;                   // unique among unrevoked tokens: "ci-bot"
  std::string secret_hash;            // hex SHA-256 of the secret
  std::vector<std::string> scopes;    // "read", "write:events", "bi:refresh", "admin"
  std::vector<std::string> projects;  // project names; empty: every project
  common::UnixSeconds created_at = 0;
  std::optional<common::UnixSeconds> expires_at;
  std::optional<common::UnixSeconds> revoked_at;
  std::optional<common::UnixSeconds> last_used_at;
};

// A person's session after signing in with the OpenID Provider. Only a hash of the cookie's
// secret is kept. What the person may see is worked out on every request from the role claim's
// values kept here and the server's [[roles]], so a changed mapping holds at once and a changed
// group membership at the next sign-in.
struct PersonSession {
  std::int64_t id = 0;      // store-assigned; what `leadline sessions revoke` names
  std::string secret_hash;  // hex SHA-256 of the cookie's secret
  std::string issuer;
  std::string subject;                    // the provider's `sub`
  std::string name;                       // e-mail, else name, else subject: for lists and audit
  std::vector<std::string> claim_values;  // the role claim's values at sign-in
  common::UnixSeconds created_at = 0;
  common::UnixSeconds last_seen_at = 0;  // the idle expiry counts from here
  common::UnixSeconds expires_at = 0;    // absolute: sign in again after it
  std::optional<common::UnixSeconds> revoked_at;
};

// A sign-in under way, between the redirect to the provider and its callback; single use.
struct SignInAttempt {
  std::string state_hash;     // hex SHA-256 of the `state` sent to the provider
  std::string nonce;          // the ID token must carry it back
  std::string code_verifier;  // PKCE: proves the callback's code was asked for by this server
  std::string return_to;      // the dashboard's path to land on (a local path only)
  common::UnixSeconds created_at = 0;
};

// One API call, as the audit log keeps it: never the token itself.
struct AuditEntry {
  common::UnixSeconds at = 0;
  std::string token_name;  // "" when no valid token was given
  std::string method;      // "GET"
  std::string path;        // "/v1/metrics/dora", without the query
  int status = 0;          // the HTTP status answered
};

// Requests refused without a valid identity (no token, an unsigned webhook delivery, a path no
// route serves, ...), counted per minute, client address and reason rather than kept one by one:
// a flood of them adds rows per minute, not per request.
struct AuditRefusal {
  common::UnixSeconds minute = 0;  // the start of the minute
  std::string client_address;      // "203.0.113.9"; "*" for addresses past the per-minute cap
  std::string reason;              // "no_token", "bad_signature", "unknown_path", ...
  std::int64_t count = 0;
  // The last such request of that minute, for a look at what was tried.
  int status = 0;
  std::string method;
  std::string path;
};

}  // namespace leadline::model
