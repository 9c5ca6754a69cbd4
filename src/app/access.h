// The composition behind `leadline projects ...`, `leadline tokens ...` and `leadline audit`:
// projects group connected repositories (the unit of access); tokens let service accounts call the
// API, scoped to projects. Single-threaded; owns what it opens.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/api_tokens.h"
#include "config/paths.h"
#include "model/access.h"
#include "model/repository.h"

namespace leadline::app {

struct ProjectView {
  std::string name;
  std::vector<std::string> repositories;  // locations
};

// Creates the project, or replaces its repositories, with the connected repositories matching
// any of `patterns` (fnmatch on "workspace/slug"). Fails, changing nothing, when a pattern
// matches no repository.
common::Result<ProjectView> SaveProject(const config::Paths& paths, const std::string& name,
                                        const std::vector<std::string>& patterns);
common::Result<std::vector<ProjectView>> ListProjects(const config::Paths& paths);
common::Status DeleteProject(const config::Paths& paths, const std::string& name);

struct TokenRequest {
  std::string name;
  std::vector<std::string> scopes;
  std::vector<std::string> projects;  // empty: every project
  std::optional<common::Seconds> expires_in;
};
// Returns the secret (shown once) with the stored token.
common::Result<auth::MintedToken> CreateToken(const config::Paths& paths,
                                              const TokenRequest& request);
common::Result<std::vector<model::ApiToken>> ListTokens(const config::Paths& paths);
common::Status RevokeToken(const config::Paths& paths, const std::string& name);

// People's sessions (signed in with [oidc]) whose absolute expiry is ahead, revoked ones
// included, oldest first.
common::Result<std::vector<model::PersonSession>> ListSessions(const config::Paths& paths);
// Ends the session with id `target` (all digits) or every session of the person it names (name
// or subject) at once; NotFound when none was live.
common::Result<std::int64_t> RevokeSessions(const config::Paths& paths, const std::string& target);

// The audit log: its last `limit` entries (calls with a valid identity), newest first, and its
// last `limit` refusal counts (refusals without one), the latest minute first.
struct AuditView {
  std::vector<model::AuditEntry> entries;
  std::vector<model::AuditRefusal> refusals;
};
common::Result<AuditView> ListAudit(const config::Paths& paths, std::size_t limit);

}  // namespace leadline::app
