// PagerDuty (REST API v2) on the connector contracts: as an IncidentConnector it checks keys,
// lists services and walks incidents (incident_walk.h); as a Connector it lets the commands that
// go over every connection (check, repos list, sync) treat it like the others: it has no
// repositories, no feeds and no repository webhooks. Stateless; thread-safe.
#pragma once

#include "sources/contract/connector.h"
#include "sources/contract/incident_connector.h"

namespace leadline::sources::pagerduty {

// The related change events read per incident: one page of the newest.
inline constexpr int kMostChangeEvents = 25;

class PagerDutyConnector final : public Connector, public IncidentConnector {
 public:
  model::Provider provider() const override { return model::Provider::kPagerDuty; }
  const char* source() const override;

  // 960 requests a minute per key (section 4.4), kept well below so people's own tools have
  // room: a quarter of it.
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
  // Custom fields where the base incident type (which every type inherits) defines one named
  // like "Deployment" or "Commit" (one request); related change events always.
  common::Result<ReferenceReads> ReferenceSources(
      http::HttpClient& client, const ConnectionSettings& settings) const override;
  // Per incident: its custom fields where they may name a cause and it names no deployment yet
  // (one request), then its related change events where it names neither a deployment nor a
  // commit (one request, one page of kMostChangeEvents). A 402, 403 or 404 from the change
  // events (an account without change correlation) turns them off for the rest of the sync,
  // with a note: those incidents fall back to the window.
  common::Status ReadReferences(http::HttpClient& client, const ConnectionSettings& settings,
                                ReferenceReads& reads,
                                std::vector<model::Incident>& incidents) const override;
  common::Status Diagnose(const http::HttpResponse& response,
                          const std::string& url) const override;
};

}  // namespace leadline::sources::pagerduty
