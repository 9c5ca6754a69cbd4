#include "ingest/bitbucket_pull_requests.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "http/pager.h"
#include "sources/bitbucket/cloud_parse.h"

namespace leadline::ingest {
namespace {

using common::Status;

// Parses a whole page, then stores its pull requests and the new cursor in one transaction.
Status StorePage(store::Store& store, std::int64_t repo_id, const nlohmann::json& values,
                 const std::string& url, PullRequestSyncResult& result) {
  std::vector<model::PullRequest> page;
  common::UnixSeconds newest = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto pr = sources::bitbucket::ParseCloudPullRequest(values[i]);
    if (!pr.ok()) {
      return pr.status().WithContext("pull request " + std::to_string(i) + " of " +
                                     http::RedactUrl(url));
    }
    newest = std::max(newest, pr->updated_at);
    page.push_back(std::move(*pr));
  }
  store::Transaction transaction(store);
  LEADLINE_RETURN_IF_ERROR(transaction.Begin());
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t changed, store.UpsertPullRequests(repo_id, page));
  if (newest > 0) {
    LEADLINE_RETURN_IF_ERROR(
        store.SaveCursor(repo_id, kPullRequestsCursor, common::FormatRfc3339(newest)));
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  ++result.pages;
  result.received += static_cast<std::int64_t>(page.size());
  result.changed += changed;
  return Status::Ok();
}

}  // namespace

common::Result<PullRequestSyncResult> SyncCloudPullRequests(
    store::Store& store, http::HttpClient& client,
    const sources::bitbucket::ConnectionSettings& settings, const model::Repository& repository,
    const std::function<void(const PullRequestSyncResult&)>& on_page) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string cursor,
                            store.LoadCursor(repository.id, kPullRequestsCursor));
  http::HttpRequest request;
  request.credentials = settings.Credentials();
  request.url = settings.url + "/repositories/" + repository.location +
                "/pullrequests?state=OPEN&state=MERGED&state=DECLINED&state=SUPERSEDED"
                "&pagelen=50&sort=updated_on";
  if (!cursor.empty()) request.url += "&q=" + http::EncodeQueryValue("updated_on>=" + cursor);

  PullRequestSyncResult result;
  const Status synced = http::ForEachPage(
      client, http::PageStyle::kBitbucketCloud, request,
      [&](const nlohmann::json& values, const std::string& url) -> Status {
        LEADLINE_RETURN_IF_ERROR(StorePage(store, repository.id, values, url, result));
        if (on_page) on_page(result);
        return Status::Ok();
      });
  if (!synced.ok()) return synced.WithContext("pull requests of " + repository.location);
  return result;
}

}  // namespace leadline::ingest
