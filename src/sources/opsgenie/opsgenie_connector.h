// Opsgenie (until its REST API ends on 2027-04-05) on the connector contracts: incidents
// (`GET /v1/incidents/`) walked newest created first by offset (the walk's token) until a page
// reaches back past the walk's start; teams are the services, priorities P1 and P2 count by
// default. Opsgenie's outgoing webhooks carry no signature Leadline can verify, so there is no
// webhook decoder: the server's reconciliation poll keeps connections current. Stateless;
// thread-safe.
#pragma once

#include "sources/contract/incident_tool_connector.h"

namespace leadline::sources::opsgenie {

class OpsgenieConnector final : public TokenWalkIncidentConnector {
 public:
  model::Provider provider() const override { return model::Provider::kOpsgenie; }
  const char* source() const override;

  // Opsgenie limits requests a minute by plan and kind; a request a second keeps well inside
  // them, and 429s are honoured whatever this says.
  int DefaultRequestsPerHour(const ConnectionSettings& settings) const override;
  common::Result<CheckReport> Check(http::HttpClient& client,
                                    const ConnectionSettings& settings) const override;
  common::Result<std::vector<model::IncidentService>> ListServices(
      http::HttpClient& client, const ConnectionSettings& settings) const override;
  // P1 and P2: Opsgenie's priorities are fixed, P1 to P5.
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

}  // namespace leadline::sources::opsgenie
