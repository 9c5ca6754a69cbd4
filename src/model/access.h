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
  std::vector<std::string> scopes;    // "read", "write:events", "admin"
  std::vector<std::string> projects;  // project names; empty: every project
  common::UnixSeconds created_at = 0;
  std::optional<common::UnixSeconds> expires_at;
  std::optional<common::UnixSeconds> revoked_at;
  std::optional<common::UnixSeconds> last_used_at;
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
