// GitLab (GitLab.com and self-managed, REST v4) on the connector contract
// (sources/contract/connector.h): the check (gitlab_check.h), the projects the token is a member
// of, the project feeds (gitlab_feeds.h) and the project hooks Leadline registers. Stateless;
// thread-safe.
#pragma once

#include "sources/contract/connector.h"

namespace leadline::sources::gitlab {

class GitLabConnector final : public Connector {
 public:
  model::Provider provider() const override { return model::Provider::kGitLab; }
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
};

}  // namespace leadline::sources::gitlab
