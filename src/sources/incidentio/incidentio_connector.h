// incident.io (API v1/v2) on the connector contracts: as an IncidentConnector it checks keys,
// lists services (catalog entries of the "affected services" custom field) and walks incidents
// (incident_walk.h); as a Connector it lets the commands that go over every connection (check,
// repos list, sync) treat it like the others: no repositories, no feeds, no repository webhooks.
// Stateless; thread-safe.
#pragma once

#include "sources/contract/connector.h"
#include "sources/contract/incident_connector.h"

namespace leadline::sources::incidentio {

class IncidentIoConnector final : public Connector, public IncidentConnector {
 public:
  model::Provider provider() const override { return model::Provider::kIncidentIo; }
  const char* source() const override;

  // 1,200 requests a minute per key (section 6.1), kept well below: a quarter of it.
  int DefaultRequestsPerHour(const ConnectionSettings& settings) const override;
  common::Result<CheckReport> Check(http::HttpClient& client,
                                    const ConnectionSettings& settings) const override;
  common::Result<std::vector<model::Repository>> ListRepositories(
      http::HttpClient& client, const ConnectionSettings& settings) const override;
  Feeds RepositoryFeeds(const ConnectionSettings& settings,
                        const model::Repository& repository) const override;
  common::Result<std::string> RegisterWebhook(http::HttpClient& client,
                                              const ConnectionSettings& settings,
                                              const model::Repository& repository,
                                              const HookTarget& target) const override;
  common::Status RemoveWebhook(http::HttpClient& client, const ConnectionSettings& settings,
                               const model::Repository& repository,
                               const std::string& hook_id) const override;

  common::Result<std::vector<model::IncidentService>> ListServices(
      http::HttpClient& client, const ConnectionSettings& settings) const override;
  common::Result<std::vector<std::string>> DefaultCounts(
      http::HttpClient& client, const ConnectionSettings& settings) const override;
  std::string StartWalk(common::UnixSeconds since, common::UnixSeconds now) const override;
  bool InsideWalk(const std::string& cursor) const override;
  std::optional<common::UnixSeconds> WalkEnd(const std::string& cursor) const override;
  common::Result<http::HttpRequest> RequestAt(const ConnectionSettings& settings,
                                              const std::string& cursor) const override;
  common::Result<IncidentPage> Read(const ConnectionSettings& settings,
                                    const http::HttpResponse& response,
                                    const std::string& cursor) const override;
  common::Status Diagnose(const http::HttpResponse& response,
                          const std::string& url) const override;
};

}  // namespace leadline::sources::incidentio
