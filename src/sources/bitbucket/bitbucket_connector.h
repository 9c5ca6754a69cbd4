// Bitbucket Cloud and Data Center on the connector contract (sources/contract/connector.h): the
// connection check, the repository listing, webhook registration, the request budget and the
// repository feeds (cloud_feeds.h, dc_feeds.h). Stateless; thread-safe.
#pragma once

#include "sources/contract/connector.h"

namespace leadline::sources::bitbucket {

class BitbucketConnector final : public Connector {
 public:
  explicit BitbucketConnector(model::Provider provider) : provider_(provider) {}

  model::Provider provider() const override { return provider_; }
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

 private:
  model::Provider provider_;
};

}  // namespace leadline::sources::bitbucket
