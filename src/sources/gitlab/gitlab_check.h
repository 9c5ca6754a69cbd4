// Checking a GitLab connection (GitLab.com or self-managed, REST v4): who the token is (a person,
// or the bot user of a group or project access token), its scopes and expiry, the instance's
// version and the number of projects visible; or what to fix: a wrong, expired or revoked token
// (401), a missing scope (read_api to read, read_repository for git, api for webhooks and
// comments), a URL that is not the instance's root (the check probes /api/v4/version on shorter
// URLs and names the right --url), TLS and DNS trouble (as the HTTP client reports it).
// The URL is expected without trailing slashes (the CLI drops them). Stateless; thread-safe when
// the client is.
#pragma once

#include <string>
#include <vector>

#include "sources/contract/connector.h"

namespace leadline::sources::gitlab {

inline constexpr const char* kGitLabComUrl = "https://gitlab.com";

common::Result<CheckReport> CheckGitLab(http::HttpClient& client,
                                        const ConnectionSettings& settings);

// Base URLs to probe when `url` has no API: without trailing slashes, then with path segments
// removed from the end (a URL copied from the browser often names a group or project).
std::vector<std::string> InstanceRootCandidates(const std::string& url);

// The number of projects the token is a member of (x-total, else counted page by page).
common::Result<std::int64_t> CountProjects(http::HttpClient& client,
                                           const ConnectionSettings& settings);

}  // namespace leadline::sources::gitlab
