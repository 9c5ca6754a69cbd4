#include "sources/bitbucket/bitbucket_connector.h"

#include <nlohmann/json.hpp>

#include "http/pager.h"
#include "sources/bitbucket/cloud_feeds.h"
#include "sources/bitbucket/cloud_parse.h"
#include "sources/bitbucket/connection_check.h"
#include "sources/bitbucket/dc_feeds.h"
#include "sources/bitbucket/dc_parse.h"
#include "sources/bitbucket/repository_hooks.h"

namespace leadline::sources::bitbucket {

using common::Result;
using common::Status;

// Bitbucket Cloud allows 1,000 API requests an hour on small plans; Data Center's limits are
// its admins' (answered with 429s, which the client honours).
int BitbucketConnector::DefaultRequestsPerHour(const ConnectionSettings& settings) const {
  return settings.provider == model::Provider::kBitbucketCloud ? 1000 : 0;
}

Result<CheckReport> BitbucketConnector::Check(http::HttpClient& client,
                                              const ConnectionSettings& settings) const {
  return CheckConnection(client, settings);
}

Result<std::vector<model::Repository>> BitbucketConnector::ListRepositories(
    http::HttpClient& client, const ConnectionSettings& settings) const {
  const bool cloud = settings.provider == model::Provider::kBitbucketCloud;
  http::HttpRequest request;
  request.credentials = settings.Credentials();
  request.url = cloud ? settings.url + "/repositories/" + settings.workspace + "?pagelen=100"
                      : settings.url + "/rest/api/1.0/repos?limit=1000";
  std::vector<model::Repository> out;
  LEADLINE_RETURN_IF_ERROR(http::ForEachPage(
      client, cloud ? http::PageStyle::kBitbucketCloud : http::PageStyle::kBitbucketDataCenter,
      request, [&](const nlohmann::json& values, const std::string& url) -> Status {
        for (std::size_t i = 0; i < values.size(); ++i) {
          auto repo = cloud ? ParseCloudRepository(values[i]) : ParseDcRepository(values[i]);
          if (!repo.ok()) {
            return repo.status().WithContext("repository " + std::to_string(i) + " of " +
                                             http::RedactUrl(url));
          }
          out.push_back(std::move(*repo));
        }
        return Status::Ok();
      }));
  return out;
}

Feeds BitbucketConnector::RepositoryFeeds(const ConnectionSettings& settings,
                                          const model::Repository& repository) const {
  return provider_ == model::Provider::kBitbucketCloud ? CloudRepositoryFeeds(settings, repository)
                                                       : DcRepositoryFeeds(settings, repository);
}

std::vector<std::string> BitbucketConnector::MirrorRefs() const {
  if (provider_ != model::Provider::kBitbucketDataCenter) return {};
  return {"refs/pull-requests/*/from"};
}

std::optional<CommitListing> BitbucketConnector::PullRequestCommits(
    const ConnectionSettings& settings, const model::Repository& repository,
    std::int64_t number) const {
  if (provider_ != model::Provider::kBitbucketCloud) return std::nullopt;
  return CloudPullRequestCommits(settings, repository.location, number);
}

Result<std::string> BitbucketConnector::RegisterWebhook(http::HttpClient& client,
                                                        const ConnectionSettings& settings,
                                                        const model::Repository& repository,
                                                        const HookTarget& target) const {
  return RegisterHook(client, settings, repository.location, target);
}

Status BitbucketConnector::RemoveWebhook(http::HttpClient& client,
                                         const ConnectionSettings& settings,
                                         const model::Repository& repository,
                                         const std::string& hook_id) const {
  return RemoveHook(client, settings, repository.location, hook_id);
}

}  // namespace leadline::sources::bitbucket
