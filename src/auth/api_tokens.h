// API tokens of service accounts: minting (the secret is shown once; only its SHA-256 is
// stored), checking a bearer token against the stored ones, and what the caller may see: the
// repositories of its projects. Pure functions over values the caller loads; thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/access.h"

namespace leadline::auth {

// read: the metrics and lists; write:events: push deployments and incidents; bi:refresh: refresh
// the analytics tables and trigger the Looker datagroup; admin: everything, including the
// integration status.
inline constexpr const char* kScopes[] = {"read", "write:events", "bi:refresh", "admin"};

struct MintedToken {
  std::string secret;     // "llt_" and 43 characters; shown once, never stored
  model::ApiToken token;  // to store: its hash, scopes and projects
};

// Fails on an empty name, an unknown scope or an unknown project (`known_projects`).
common::Result<MintedToken> MintToken(const std::string& name,
                                      const std::vector<std::string>& scopes,
                                      const std::vector<std::string>& projects,
                                      const std::vector<std::string>& known_projects,
                                      std::optional<common::Seconds> expires_in,
                                      common::UnixSeconds now);

// `bytes` random bytes, base64url without padding: sessions' secrets, OIDC's state and nonce.
std::string RandomUrlSafe(std::size_t bytes);

// Hex SHA-256 of a secret.
std::string HashSecret(std::string_view secret);

// The caller behind a request.
struct Principal {
  std::int64_t token_id = 0;
  std::string token_name;
  std::vector<std::string> scopes;
  std::vector<std::string> projects;  // the token's projects; empty: every project
  // The repositories it may see; empty optional: every repository (a token for all projects).
  std::optional<std::set<std::int64_t>> repositories;
  // A CI job's OIDC token (auth/ci_trust.h): the location of the one repository it may write.
  std::optional<std::string> ci_repository;
  // ... and the environment its job deploys to, when the token names one.
  std::optional<std::string> ci_environment;
  // A person's session (auth/person_sessions.h): its id and when it was last seen; 0 otherwise.
  std::int64_t session_id = 0;
  common::UnixSeconds session_last_seen = 0;

  bool Has(std::string_view scope) const;
  bool MaySee(std::int64_t repo_id) const {
    return !repositories || repositories->contains(repo_id);
  }
  bool MaySeeProject(const std::string& name) const;
};

// The one scope every identity resolves to (API tokens, people's sessions): the repositories of
// the named projects; nullopt (every repository) when `project_names` is empty. A project that
// no longer exists grants nothing.
std::optional<std::set<std::int64_t>> RepositoriesOf(const std::vector<std::string>& project_names,
                                                     const std::vector<model::Project>& projects);

// Checks an Authorization header ("Bearer llt_...") against the stored tokens. Unauthenticated
// (401) when it is missing, unknown, revoked or expired; the message never repeats the secret.
// When it fails and `refusal` is given, that is set to why in a word fit for a metric label:
// no_token, bad_token (not known), revoked_token or expired_token.
common::Result<Principal> Authenticate(std::string_view authorization,
                                       const std::vector<model::ApiToken>& tokens,
                                       const std::vector<model::Project>& projects,
                                       common::UnixSeconds now, std::string* refusal = nullptr);

}  // namespace leadline::auth
