// incident.io (API v1/v2) on the connector contracts: it checks keys, lists services (catalog
// entries of the "affected services" custom field) and walks incidents by `after` cursor
// (incident_walk.h) on the token walk incident tools share (sources/contract/
// incident_tool_connector.h), which also makes it a Connector without repositories, feeds or
// repository webhooks. Stateless; thread-safe.
#pragma once

#include "sources/contract/incident_tool_connector.h"

namespace leadline::sources::incidentio {

class IncidentIoConnector final : public TokenWalkIncidentConnector {
 public:
  model::Provider provider() const override { return model::Provider::kIncidentIo; }
  const char* source() const override;

  // 1,200 requests a minute per key (section 6.1), kept well below: a quarter of it.
  int DefaultRequestsPerHour(const ConnectionSettings& settings) const override;
  common::Result<CheckReport> Check(http::HttpClient& client,
                                    const ConnectionSettings& settings) const override;
  common::Result<std::vector<model::IncidentService>> ListServices(
      http::HttpClient& client, const ConnectionSettings& settings) const override;
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

}  // namespace leadline::sources::incidentio
