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
  // Data Center: every pull request's source commit, merged or not (`refs/pull-requests/*/from`,
  // which outlive the branches of merged pull requests); none for Cloud, which advertises none.
  std::vector<std::string> MirrorRefs() const override;
  // Cloud only: Data Center's mirror keeps every pull request's commits (MirrorRefs).
  std::optional<CommitListing> PullRequestCommits(const ConnectionSettings& settings,
                                                  const model::Repository& repository,
                                                  std::int64_t number) const override;
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
