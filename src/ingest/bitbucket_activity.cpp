#include <nlohmann/json.hpp>

#include "http/pager.h"
#include "ingest/bitbucket_cloud.h"
#include "ingest/newest_first_walk.h"
#include "ingest/parse_page.h"
#include "sources/bitbucket/cloud_fields.h"
#include "sources/bitbucket/cloud_parse.h"

namespace leadline::ingest {

// Walks the activity of every pull request of the repository (one stream, so a repository with
// many quiet pull requests costs a request per 50 entries, not one per pull request).
common::Result<SyncCounts> SyncCloudActivity(const SyncTarget& target) {
  const auto store_page = [&](const nlohmann::json& values,
                              const std::string& url) -> common::Result<PageRows> {
    LEADLINE_ASSIGN_OR_RETURN(
        const std::vector<std::optional<model::PullRequestActivity>> parsed,
        ParsePage<std::optional<model::PullRequestActivity>>(
            values, url, "activity entry", sources::bitbucket::ParseCloudActivity));
    std::vector<model::PullRequestActivity> entries;
    for (const auto& entry : parsed) {
      if (entry) entries.push_back(*entry);
    }
    PageRows rows;
    for (const model::PullRequestActivity& entry : entries) rows.Saw(entry.at);
    LEADLINE_ASSIGN_OR_RETURN(
        rows.changed, target.store.InsertPullRequestActivity(target.repository.id, entries));
    return rows;
  };
  const WalkRequest walk{target.repository.id, kActivityCursor,
                         CloudListRequest(target, "/pullrequests/activity?pagelen=50",
                                          sources::bitbucket::kCloudActivityFields),
                         target.since, http::PageStyle::kBitbucketCloud};
  auto walked = WalkNewestFirst(target.store, target.client, walk, store_page, target.on_page);
  if (!walked.ok()) {
    return walked.status().WithContext("pull request activity of " + target.repository.location);
  }
  return walked;
}

}  // namespace leadline::ingest
