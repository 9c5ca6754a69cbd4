#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/parallel_for.h"
#include "http/pager.h"
#include "ingest/bitbucket_dc.h"
#include "ingest/newest_first_walk.h"
#include "sources/bitbucket/dc_parse.h"
#include "sources/contract/parse_page.h"

namespace leadline::ingest {
namespace {

using common::Result;
using common::Status;

// Activity requests in flight at once.
constexpr std::size_t kParallelRequests = 4;

// Every page of one pull request's activities, parsed whole before anything is stored.
Result<std::vector<model::PullRequestActivity>> FetchActivities(const SyncTarget& target,
                                                                std::int64_t number) {
  std::vector<model::PullRequestActivity> out;
  const std::string path = "/pull-requests/" + std::to_string(number) + "/activities?limit=1000";
  LEADLINE_RETURN_IF_ERROR(http::ForEachPage(
      target.client, http::PageStyle::kBitbucketDataCenter, DcRepositoryRequest(target, path),
      [&](const nlohmann::json& values, const std::string& url) -> Status {
        for (std::size_t i = 0; i < values.size(); ++i) {
          auto entry = sources::bitbucket::ParseDcActivity(values[i], number);
          if (!entry.ok()) {
            return entry.status().WithContext("activity " + std::to_string(i) + " of " +
                                              http::RedactUrl(url));
          }
          if (*entry) out.push_back(std::move(**entry));
        }
        return Status::Ok();
      }));
  return out;
}

// The activities of each of `numbers`, several requests at a time (Data Center has no list of a
// repository's activities, so a backfill asks once per pull request). The client is thread-safe;
// the store is not touched here.
Result<std::vector<model::PullRequestActivity>> FetchActivitiesOf(
    const SyncTarget& target, const std::vector<std::int64_t>& numbers) {
  std::vector<std::optional<Result<std::vector<model::PullRequestActivity>>>> fetched(
      numbers.size());
  // After a failure no more are asked for; every one before it was fetched (ParallelFor), so the
  // loop below meets the failure before any entry left empty.
  common::ParallelFor(numbers.size(), kParallelRequests, [&](std::size_t i) {
    fetched[i] = FetchActivities(target, numbers[i]);
    return fetched[i]->ok();
  });
  std::vector<model::PullRequestActivity> out;
  for (auto& entries : fetched) {
    if (!entries->ok()) return entries->status();
    out.insert(out.end(), std::make_move_iterator((*entries)->begin()),
               std::make_move_iterator((*entries)->end()));
  }
  return out;
}

}  // namespace

http::HttpRequest DcRepositoryRequest(const SyncTarget& target, const std::string& path_and_query) {
  const std::string& location = target.repository.location;  // "KEY/slug"
  const std::size_t slash = location.find('/');
  http::HttpRequest request;
  request.credentials = target.settings.Credentials();
  request.url = target.settings.url + "/rest/api/1.0/projects/" + location.substr(0, slash) +
                "/repos/" + location.substr(slash + 1) + path_and_query;
  return request;
}

Result<DcPullRequestSync> SyncDcPullRequests(const SyncTarget& target) {
  const std::int64_t repo_id = target.repository.id;
  // What each stored pull request looked like: its activities are fetched again only when it
  // changed.
  std::map<std::int64_t, common::UnixSeconds> stored_updates;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequest> stored,
                            target.store.LoadPullRequests(repo_id));
  for (const model::PullRequest& pr : stored) stored_updates[pr.number] = pr.updated_at;

  DcPullRequestSync out;
  const auto store_page = [&](const nlohmann::json& values,
                              const std::string& url) -> Result<PageRows> {
    LEADLINE_ASSIGN_OR_RETURN(
        const std::vector<model::PullRequest> page,
        sources::ParsePage<model::PullRequest>(values, url, "pull request",
                                               sources::bitbucket::ParseDcPullRequest));
    PageRows rows;
    std::vector<std::int64_t> changed;
    for (const model::PullRequest& pr : page) {
      rows.Saw(pr.updated_at);
      const auto known = stored_updates.find(pr.number);
      if (known != stored_updates.end() && known->second == pr.updated_at) continue;
      if (pr.updated_at < target.since) continue;
      changed.push_back(pr.number);
      stored_updates[pr.number] = pr.updated_at;
    }
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequestActivity> activities,
                              FetchActivitiesOf(target, changed));
    out.activity.pages += static_cast<std::int64_t>(changed.size());
    out.activity.received += static_cast<std::int64_t>(activities.size());
    LEADLINE_ASSIGN_OR_RETURN(rows.changed, target.store.UpsertPullRequests(repo_id, page));
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t new_activities,
                              target.store.InsertPullRequestActivity(repo_id, activities));
    out.activity.changed += new_activities;
    return rows;
  };
  const WalkRequest walk{
      repo_id, kPullRequestsCursor,
      DcRepositoryRequest(target, "/pull-requests?state=ALL&order=NEWEST&limit=100"), target.since,
      http::PageStyle::kBitbucketDataCenter};
  auto walked = WalkNewestFirst(target.store, target.client, walk, store_page, target.on_page);
  if (!walked.ok())
    return walked.status().WithContext("pull requests of " + target.repository.location);
  out.pull_requests = *walked;
  return out;
}

}  // namespace leadline::ingest
