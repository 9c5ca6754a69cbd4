// Registering Leadline's webhook on a Bitbucket repository, and removing it:
//  - Cloud: /2.0/repositories/{workspace}/{slug}/hooks, signed with the connection's secret
//    (`secret`), answered 201 with the hook's `uuid`;
//  - Data Center: /rest/api/1.0/projects/{KEY}/repos/{slug}/webhooks, the secret in
//    `configuration.secret`, answered 200 with the hook's numeric `id`.
// Registration is idempotent: a hook already pointing at the same URL is updated (events and
// secret) rather than duplicated. Removing a hook that is already gone succeeds. Thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "http/http_client.h"
#include "sources/bitbucket/connection_check.h"

namespace leadline::sources::bitbucket {

using HookTarget = sources::HookTarget;

// The events Leadline asks for, per edition: pushes, pull request changes and reviews, and
// (Cloud) commit statuses.
const std::vector<std::string>& HookEvents(Provider provider);

// Registers (or updates) the hook on `location` ("workspace/slug" or "KEY/slug"); returns its id.
common::Result<std::string> RegisterHook(http::HttpClient& client,
                                         const ConnectionSettings& settings,
                                         const std::string& location, const HookTarget& target);

// Removes the hook `hook_id` from `location`; a hook that no longer exists is not an error.
common::Status RemoveHook(http::HttpClient& client, const ConnectionSettings& settings,
                          const std::string& location, const std::string& hook_id);

}  // namespace leadline::sources::bitbucket
