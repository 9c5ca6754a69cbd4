#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "http/pager.h"
#include "ingest/bitbucket_cloud.h"
#include "ingest/parse_page.h"
#include "sources/bitbucket/cloud_fields.h"
#include "sources/bitbucket/cloud_parse.h"

namespace leadline::ingest {
namespace {

using common::Status;

// Parses a whole page, then stores its pull requests and the new cursor in one transaction.
// Returns the newest update on the page (0 when it is empty). Pull requests the walk received
// already (`seen`: a page starts where the last ended) are not counted again.
common::Result<common::UnixSeconds> StorePage(store::Store& store, std::int64_t repo_id,
                                              const nlohmann::json& values, const std::string& url,
                                              std::set<std::int64_t>& seen, SyncCounts& counts) {
  LEADLINE_ASSIGN_OR_RETURN(
      const std::vector<model::PullRequest> page,
      ParsePage<model::PullRequest>(values, url, "pull request",
                                    sources::bitbucket::ParseCloudPullRequest));
  common::UnixSeconds newest = 0;
  std::int64_t received = 0;
  for (const model::PullRequest& pr : page) {
    newest = std::max(newest, pr.updated_at);
    received += seen.insert(pr.number).second ? 1 : 0;
  }
  store::Transaction transaction(store);
  LEADLINE_RETURN_IF_ERROR(transaction.Begin());
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t changed, store.UpsertPullRequests(repo_id, page));
  if (newest > 0) {
    LEADLINE_RETURN_IF_ERROR(
        store.SaveCursor(repo_id, kPullRequestsCursor, common::FormatRfc3339(newest)));
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  ++counts.pages;
  counts.received += received;
  counts.changed += changed;
  return newest;
}

// The pull requests of every state updated at or after `from` (all when empty), oldest update
// first.
http::HttpRequest UpdatedSince(const SyncTarget& target, const std::string& from) {
  std::string path =
      "/pullrequests?state=OPEN&state=MERGED&state=DECLINED&state=SUPERSEDED&pagelen=50"
      "&sort=updated_on";
  if (!from.empty()) path += "&q=" + http::EncodeQueryValue("updated_on>=" + from);
  return CloudListRequest(target, path, sources::bitbucket::kCloudPullRequestFields);
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

// The list is walked by update time, never by offset: each request asks for what was updated at
// or after the newest update stored so far, and takes the first page. Paging by offset over an
// order that moves loses rows: a pull request updated between pages 1 and 2 moves to the end, the
// first of page 2 moves onto page 1, already read, and the cursor passes it for good. Here a pull
// request updated during the walk is found further on, and nothing else moves past the walk.
// The newest second is asked for again (several may share it); only a whole page of one second
// follows the page's `next` link, as the time cannot advance then.
common::Result<SyncCounts> SyncCloudPullRequests(const SyncTarget& target) {
  LEADLINE_ASSIGN_OR_RETURN(std::string from,
                            target.store.LoadCursor(target.repository.id, kPullRequestsCursor));
  if (from.empty() && target.since > 0) from = common::FormatRfc3339(target.since);
  common::UnixSeconds reached = 0;
  if (!from.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(reached, common::ParseRfc3339(from));
  }

  SyncCounts counts;
  std::set<std::int64_t> seen;
  http::HttpRequest request = UpdatedSince(target, from);
  for (bool more = true; more;) {
    std::string next_url;
    common::UnixSeconds newest = 0;
    const Status synced = http::ForEachPageUntil(
        target.client, http::PageStyle::kBitbucketCloud, request,
        [&](const http::Page& page) -> common::Result<http::Paging> {
          LEADLINE_ASSIGN_OR_RETURN(newest, StorePage(target.store, target.repository.id,
                                                      page.values, page.url, seen, counts));
          next_url = page.next_url;
          if (target.on_page) target.on_page(counts);
          return http::Paging::kStop;
        });
    if (!synced.ok()) return synced.WithContext("pull requests of " + target.repository.location);
    more = !next_url.empty();
    if (newest > reached) {
      reached = newest;
      request = UpdatedSince(target, common::FormatRfc3339(reached));
    } else {
      request.url = next_url;
    }
  }
  return counts;
}

}  // namespace leadline::ingest
