// The base of an incident tool's connector that pages its incidents by token
// (token_walk.h): it is a Connector too, so that the commands that go over every connection
// (check, repos list, sync) treat it like the others: no repositories, no feeds, no repository
// webhooks. The walk's cursors, its start, end and resumption are written here once; a tool says
// only which request reads the page a walk stands at and what that page holds. Stateless;
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "sources/contract/connector.h"
#include "sources/contract/incident_connector.h"
#include "sources/contract/token_walk.h"

namespace leadline::sources {

class TokenWalkIncidentConnector : public Connector, public IncidentConnector {
 public:
  common::Result<std::vector<model::Repository>> ListRepositories(
      http::HttpClient& client, const ConnectionSettings& settings) const override;
  Feeds RepositoryFeeds(const ConnectionSettings& settings,
                        const model::Repository& repository) const override;
  // A FailedPrecondition that says where the tool's webhooks are set up (WebhookHint).
  common::Result<std::string> RegisterWebhook(http::HttpClient& client,
                                              const ConnectionSettings& settings,
                                              const model::Repository& repository,
                                              const HookTarget& target) const override;
  common::Status RemoveWebhook(http::HttpClient& client, const ConnectionSettings& settings,
                               const model::Repository& repository,
                               const std::string& hook_id) const override;

  std::string StartWalk(common::UnixSeconds since, common::UnixSeconds now) const override;
  bool InsideWalk(const std::string& cursor) const override;
  std::optional<common::UnixSeconds> WalkEnd(const std::string& cursor) const override;
  common::Result<http::HttpRequest> RequestAt(const ConnectionSettings& settings,
                                              const std::string& cursor) const override;
  common::Result<IncidentPage> Read(const ConnectionSettings& settings,
                                    const http::HttpResponse& response,
                                    const std::string& cursor) const override;

 protected:
  // What one page of the walk held: its incidents (those left out counted apart) and the token
  // of the next page, "" on the last.
  struct TokenPage {
    std::vector<model::Incident> incidents;
    std::size_t left_out = 0;
    std::string next;
  };

  virtual TokenRules WalkRules() const = 0;
  // "add a webhook in X (Settings > Webhooks) instead".
  virtual std::string WebhookHint() const = 0;
  // The request for the page `at` stands at.
  virtual common::Result<http::HttpRequest> RequestFor(const ConnectionSettings& settings,
                                                       const TokenWalk& at) const = 0;
  // Reads the 2xx answer to RequestFor(settings, at).
  virtual common::Result<TokenPage> ReadPage(const ConnectionSettings& settings,
                                             const http::HttpResponse& response,
                                             const TokenWalk& at) const = 0;
};

}  // namespace leadline::sources
