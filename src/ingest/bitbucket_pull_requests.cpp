#include <algorithm>
#include <nlohmann/json.hpp>

#include "http/pager.h"
#include "ingest/bitbucket_cloud.h"
#include "ingest/parse_page.h"
#include "sources/bitbucket/cloud_fields.h"
#include "sources/bitbucket/cloud_parse.h"

namespace leadline::ingest {
namespace {

using common::Status;

// Parses a whole page, then stores its pull requests and the new cursor in one transaction.
Status StorePage(store::Store& store, std::int64_t repo_id, const nlohmann::json& values,
                 const std::string& url, SyncCounts& counts) {
  LEADLINE_ASSIGN_OR_RETURN(
      const std::vector<model::PullRequest> page,
      ParsePage<model::PullRequest>(values, url, "pull request",
                                    sources::bitbucket::ParseCloudPullRequest));
  common::UnixSeconds newest = 0;
  for (const model::PullRequest& pr : page) newest = std::max(newest, pr.updated_at);
  store::Transaction transaction(store);
  LEADLINE_RETURN_IF_ERROR(transaction.Begin());
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t changed, store.UpsertPullRequests(repo_id, page));
  if (newest > 0) {
    LEADLINE_RETURN_IF_ERROR(
        store.SaveCursor(repo_id, kPullRequestsCursor, common::FormatRfc3339(newest)));
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  ++counts.pages;
  counts.received += static_cast<std::int64_t>(page.size());
  counts.changed += changed;
  return Status::Ok();
}

}  // namespace

http::HttpRequest CloudRepositoryRequest(const SyncTarget& target,
                                         const std::string& path_and_query) {
  http::HttpRequest request;
  request.credentials = target.settings.Credentials();
  request.url =
      target.settings.url + "/repositories/" + target.repository.location + path_and_query;
  return request;
}

http::HttpRequest CloudListRequest(const SyncTarget& target, const std::string& path_and_query,
                                   const char* fields) {
  return CloudRepositoryRequest(target,
                                path_and_query + "&fields=" + http::EncodeQueryValue(fields));
}

common::Result<SyncCounts> SyncCloudPullRequests(const SyncTarget& target) {
  LEADLINE_ASSIGN_OR_RETURN(std::string cursor,
                            target.store.LoadCursor(target.repository.id, kPullRequestsCursor));
  if (cursor.empty() && target.since > 0) cursor = common::FormatRfc3339(target.since);
  std::string path =
      "/pullrequests?state=OPEN&state=MERGED&state=DECLINED&state=SUPERSEDED&pagelen=50"
      "&sort=updated_on";
  if (!cursor.empty()) path += "&q=" + http::EncodeQueryValue("updated_on>=" + cursor);

  SyncCounts counts;
  const Status synced =
      http::ForEachPage(target.client, http::PageStyle::kBitbucketCloud,
                        CloudListRequest(target, path, sources::bitbucket::kCloudPullRequestFields),
                        [&](const nlohmann::json& values, const std::string& url) -> Status {
                          LEADLINE_RETURN_IF_ERROR(
                              StorePage(target.store, target.repository.id, values, url, counts));
                          if (target.on_page) target.on_page(counts);
                          return Status::Ok();
                        });
  if (!synced.ok()) return synced.WithContext("pull requests of " + target.repository.location);
  return counts;
}

}  // namespace leadline::ingest
