// The PagerDuty connection check: who the key belongs to (a user key's user; an account key has
// none), what it may read (incidents, services, priorities), how many services it sees, and
// whether the account uses priorities, which decides the severities that count by default.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "http/http_client.h"
#include "sources/contract/connection_settings.h"
#include "sources/contract/connector.h"

namespace leadline::sources::pagerduty {

common::Result<CheckReport> CheckPagerDuty(http::HttpClient& client,
                                           const ConnectionSettings& settings);

// The account's priority names, most severe first; empty when it has none (or its plan has no
// priorities).
common::Result<std::vector<std::string>> Priorities(http::HttpClient& client,
                                                    const ConnectionSettings& settings);

// P1 and P2 when the account has priorities of those names, else the two most severe it has;
// "high" (urgency) where it has none.
std::vector<std::string> DefaultCountsFor(const std::vector<std::string>& priorities);

}  // namespace leadline::sources::pagerduty
