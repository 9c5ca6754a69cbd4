#include <algorithm>
#include <nlohmann/json.hpp>

#include "http/pager.h"
#include "ingest/bitbucket_cloud.h"
#include "ingest/newest_first_walk.h"
#include "sources/bitbucket/cloud_parse.h"

namespace leadline::ingest {

// Walks the activity of every pull request of the repository (one stream, so a repository with
// many quiet pull requests costs a request per 50 entries, not one per pull request).
common::Result<SyncCounts> SyncCloudActivity(const CloudSyncTarget& target) {
  const auto store_page = [&](const nlohmann::json& values,
                              const std::string& url) -> common::Result<PageRows> {
    std::vector<model::PullRequestActivity> entries;
    PageRows rows;
    for (std::size_t i = 0; i < values.size(); ++i) {
      auto entry = sources::bitbucket::ParseCloudActivity(values[i]);
      if (!entry.ok()) {
        return entry.status().WithContext("activity entry " + std::to_string(i) + " of " +
                                          http::RedactUrl(url));
      }
      rows.oldest = i == 0 ? entry->at : std::min(rows.oldest, entry->at);
      rows.newest = std::max(rows.newest, entry->at);
      entries.push_back(std::move(*entry));
    }
    rows.received = static_cast<std::int64_t>(entries.size());
    LEADLINE_ASSIGN_OR_RETURN(
        rows.changed, target.store.InsertPullRequestActivity(target.repository.id, entries));
    return rows;
  };
  const WalkRequest walk{target.repository.id, kActivityCursor,
                         CloudRepositoryRequest(target, "/pullrequests/activity?pagelen=50"),
                         target.since};
  auto walked = WalkNewestFirst(target.store, target.client, walk, store_page, target.on_page);
  if (!walked.ok()) {
    return walked.status().WithContext("pull request activity of " + target.repository.location);
  }
  return walked;
}

}  // namespace leadline::ingest
