// Jira Service Management (Cloud) on the connector contracts: incidents are the site's work
// items of type Incident, walked with the enhanced search (`/rest/api/3/search/jql`, whose
// `nextPageToken` is the walk's token; the old `/rest/api/3/search` answers 410) over those
// updated since the walk's start; services are their "Affected services"; priorities decide what
// counts. The Operations API is read by the check (its teams). Stateless; thread-safe.
#pragma once

#include "sources/contract/incident_tool_connector.h"

namespace leadline::sources::jsm {

class JsmConnector final : public TokenWalkIncidentConnector {
 public:
  model::Provider provider() const override { return model::Provider::kJsm; }
  const char* source() const override;

  // Jira Cloud limits by cost without numbers to plan by; a request a second keeps well inside
  // them, and 429s with Retry-After are honoured whatever this says.
  int DefaultRequestsPerHour(const ConnectionSettings& settings) const override;
  common::Result<CheckReport> Check(http::HttpClient& client,
                                    const ConnectionSettings& settings) const override;
  common::Result<std::vector<model::IncidentService>> ListServices(
      http::HttpClient& client, const ConnectionSettings& settings) const override;
  // The two most severe priorities of the site's scheme ("P1", "P2" or "Highest", "High").
  common::Result<std::vector<std::string>> DefaultCounts(
      http::HttpClient& client, const ConnectionSettings& settings) const override;
  common::Status Diagnose(const http::HttpResponse& response,
                          const std::string& url) const override;

 protected:
  TokenRules WalkRules() const override;
  std::string WebhookHint() const override;
  common::Result<http::HttpRequest> RequestFor(const ConnectionSettings& settings,
                                               const TokenWalk& at) const override;
  common::Result<TokenPage> ReadPage(const ConnectionSettings& settings,
                                     const http::HttpResponse& response,
                                     const TokenWalk& at) const override;
};

// The JQL of a walk from `since`: incidents updated since the day before it (JQL's dates are in
// the account's time zone; reading a little more is harmless), oldest created first.
std::string WalkJql(common::UnixSeconds since);

}  // namespace leadline::sources::jsm
