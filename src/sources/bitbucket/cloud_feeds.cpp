#include "sources/bitbucket/cloud_feeds.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "http/pager.h"
#include "sources/bitbucket/cloud_fields.h"
#include "sources/bitbucket/cloud_parse.h"
#include "sources/bitbucket/newest_first_feed.h"
#include "sources/contract/parse_page.h"

namespace leadline::sources::bitbucket {
namespace {

using common::Result;
using common::Status;
using common::UnixSeconds;
using nlohmann::json;

// Reads one answer of a Cloud listing: its values and the following page's URL ("" on the last).
Status ReadCloudPage(
    const http::HttpResponse& response, const std::string& url,
    const std::function<Status(const json& values, const std::string& next)>& read) {
  return http::ReadListPage(http::PageStyle::kBitbucketCloud, response, url, url, read);
}

// Walks the activity of every pull request of the repository (one stream, so a repository with
// many quiet pull requests costs a request per 50 entries, not one per pull request).
class ActivityFeed final : public NewestFirstFeed {
 public:
  ActivityFeed(const ConnectionSettings& settings, const std::string& location)
      : NewestFirstFeed("pull_request_activity", "pull request activity", FeedKind::kActivity,
                        http::PageStyle::kBitbucketCloud,
                        CloudListRequest(settings, location, "/pullrequests/activity?pagelen=50",
                                         kCloudActivityFields),
                        /*from_since=*/true, /*check_order=*/false) {}

 private:
  Result<PageRows> ReadRows(const json& values, const std::string& url, FeedPage& out) override {
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<std::optional<model::PullRequestActivity>> parsed,
                              ParsePage<std::optional<model::PullRequestActivity>>(
                                  values, url, "activity entry", ParseCloudActivity));
    PageRows rows;
    for (const auto& entry : parsed) {
      if (!entry) continue;  // an entry that is no review activity
      rows.Saw(entry->at);
      out.rows.activity.push_back(*entry);
    }
    return rows;
  }
};

class PipelineFeed final : public NewestFirstFeed {
 public:
  PipelineFeed(const ConnectionSettings& settings, const std::string& location)
      : NewestFirstFeed(
            "pipelines", "pipelines", FeedKind::kPipelines, http::PageStyle::kBitbucketCloud,
            CloudListRequest(settings, location, "/pipelines?pagelen=100&sort=-created_on",
                             kCloudPipelineFields),
            /*from_since=*/true, /*check_order=*/false) {}

 private:
  Result<PageRows> ReadRows(const json& values, const std::string& url, FeedPage& out) override {
    LEADLINE_ASSIGN_OR_RETURN(out.rows.pipelines, ParsePage<model::Pipeline>(
                                                      values, url, "pipeline", ParseCloudPipeline));
    PageRows rows;
    // A running pipeline holds the mark back (it finishes on its own); a paused one does not: it
    // waits for a person who may never come, and would make every sync walk back to it.
    for (const model::Pipeline& pipeline : out.rows.pipelines) {
      rows.Saw(pipeline.created_at, pipeline.state == model::PipelineState::kPending ||
                                        pipeline.state == model::PipelineState::kInProgress);
    }
    return rows;
  }
};

// Newest start first (`sort=-state.started_on`), down to the last walk's mark: after one new
// pipeline, one page. Bitbucket's spec lists no sort for deployments; its own clients send this
// one, and the walk checks the order it gets (a host that ignores the sort is read to the end; one
// that refuses it is read whole, unsorted). Every deployment, whatever `since` says: the first one
// in the window needs the one before.
class DeploymentFeed final : public NewestFirstFeed {
 public:
  DeploymentFeed(const ConnectionSettings& settings, const std::string& location)
      : NewestFirstFeed(
            "deployment_list", "deployments", FeedKind::kDeployments,
            http::PageStyle::kBitbucketCloud,
            CloudListRequest(settings, location, "/deployments?pagelen=100&sort=-state.started_on",
                             kCloudDeploymentFields),
            /*from_since=*/false, /*check_order=*/true),
        unsorted_(CloudListRequest(settings, location, "/deployments?pagelen=100",
                                   kCloudDeploymentFields)),
        environments_(CloudListRequest(settings, location, "/environments?pagelen=100",
                                       kCloudEnvironmentFields)) {}

  // Deployments are steps of pipelines: a pipeline new or changed may have deployed.
  std::string_view follows() const override { return "pipelines"; }

  // Takes up the environments the store knows, and the branch each stored pipeline ran on (the
  // pipeline feed ran before this one). A pipeline on a tag (or a bare commit) gives its
  // deployments no branch.
  Result<std::optional<http::HttpRequest>> First(const RepositoryView& stored,
                                                 const std::string& cursor,
                                                 UnixSeconds since) override {
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Environment> environments,
                              stored.Environments());
    for (const model::Environment& environment : environments) {
      known_environments_.insert(environment.uuid);
    }
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Pipeline> pipelines, stored.Pipelines());
    for (const model::Pipeline& pipeline : pipelines) {
      if (!pipeline.ref_name.empty() &&
          (pipeline.ref_type == "branch" || pipeline.ref_type == "named_branch")) {
        pipeline_branches_.emplace(pipeline.uuid, pipeline.ref_name);
      }
    }
    return NewestFirstFeed::First(stored, cursor, since);
  }

  std::optional<http::HttpRequest> Restart(const Status& failed) override {
    if (auto resumed = NewestFirstFeed::Restart(failed)) return resumed;
    if (failed.code() != common::StatusCode::kFailedPrecondition || whole_list_) {
      return std::nullopt;
    }
    whole_list_ = true;  // the host refuses the sort
    return unsorted_;
  }

  Result<FeedPage> Read(const http::HttpResponse& response, const http::HttpRequest& request,
                        const std::string& cursor) override {
    if (!whole_list_) return NewestFirstFeed::Read(response, request, cursor);
    // The whole list in the host's own order: no walk, no mark.
    FeedPage out;
    const Status read = ReadCloudPage(
        response, request.url, [&](const json& values, const std::string& next_url) -> Status {
          LEADLINE_RETURN_IF_ERROR(ReadRows(values, request.url, out).status());
          if (!next_url.empty() && next_url != request.url) out.next = WithUrl(unsorted_, next_url);
          return Status::Ok();
        });
    if (!read.ok()) return read;
    return out;
  }

 private:
  Result<PageRows> ReadRows(const json& values, const std::string& url, FeedPage& out) override {
    LEADLINE_ASSIGN_OR_RETURN(
        std::vector<model::PlatformDeployment> page,
        ParsePage<model::PlatformDeployment>(values, url, "deployment", ParseCloudDeployment));
    PageRows rows;
    bool unknown_environment = false;
    for (model::PlatformDeployment& deployment : page) {
      if (deployment.pipeline_uuid) {
        const auto branch = pipeline_branches_.find(*deployment.pipeline_uuid);
        if (branch != pipeline_branches_.end()) deployment.branch = branch->second;
      }
      if (deployment.environment_uuid &&
          !known_environments_.contains(*deployment.environment_uuid)) {
        unknown_environment = true;
      }
      // A deployment in progress holds the walk's mark back; one not started (a manual step no
      // one triggered: UNDEPLOYED) has no place in the order until it starts, and then moves to
      // the head of the list.
      if (deployment.started_at) {
        rows.Saw(*deployment.started_at,
                 deployment.state == model::PlatformDeploymentState::kInProgress ||
                     deployment.state == model::PlatformDeploymentState::kPending);
      } else {
        rows.SawUntimed();
      }
    }
    out.rows.deployments = std::move(page);
    // The environments (a handful: one page) come with the first page that names one the store
    // does not know, and are stored with it; once a walk.
    if (unknown_environment && !environments_asked_) {
      environments_asked_ = true;
      out.details.push_back(EnvironmentListing());
    }
    return rows;
  }

  FeedDetail EnvironmentListing() const {
    FeedDetail detail;
    detail.first = environments_;
    const http::HttpRequest listing = environments_;
    detail.read = [listing](const http::HttpResponse& response,
                            const std::string& url) -> Result<FeedDetail::Page> {
      FeedDetail::Page page;
      const Status read = ReadCloudPage(
          response, url, [&](const json& values, const std::string& next_url) -> Status {
            LEADLINE_ASSIGN_OR_RETURN(
                page.rows.environments,
                ParsePage<model::Environment>(values, url, "environment", ParseCloudEnvironment));
            if (!next_url.empty() && next_url != url) page.next = WithUrl(listing, next_url);
            return Status::Ok();
          });
      if (!read.ok()) return read;
      return page;
    };
    return detail;
  }

  http::HttpRequest unsorted_;
  http::HttpRequest environments_;
  std::set<std::string> known_environments_;
  std::map<std::string, std::string> pipeline_branches_;  // pipeline uuid -> branch
  bool whole_list_ = false;
  bool environments_asked_ = false;
};

// The list is walked by update time, never by offset: each request asks for what was updated at
// or after the newest update stored so far, and takes the first page. Paging by offset over an
// order that moves loses rows: a pull request updated between pages 1 and 2 moves to the end, the
// first of page 2 moves onto page 1, already read, and the cursor passes it for good. Here a pull
// request updated during the walk is found further on, and nothing else moves past the walk.
// The newest second is asked for again (several may share it); only a whole page of one second
// follows the page's `next` link, as the time cannot advance then. The cursor is the newest
// update stored (RFC 3339).
class PullRequestFeed final : public Feed {
 public:
  PullRequestFeed(const ConnectionSettings& settings, std::string location)
      : settings_(settings), location_(std::move(location)) {}

  std::string_view name() const override { return "pull_requests"; }
  std::string_view title() const override { return "pull requests"; }
  FeedKind kind() const override { return FeedKind::kPullRequests; }
  // Every change to a pull request adds an activity entry and moves its updated_on.
  std::string_view follows() const override { return "pull_request_activity"; }

  Result<std::optional<http::HttpRequest>> First(const RepositoryView&, const std::string& cursor,
                                                 UnixSeconds since) override {
    std::string from = cursor;
    if (from.empty() && since > 0) from = common::FormatRfc3339(since);
    reached_ = 0;
    if (!from.empty()) {
      LEADLINE_ASSIGN_OR_RETURN(reached_, common::ParseRfc3339(from));
    }
    seen_.clear();
    fetched_.clear();
    return std::optional(UpdatedSince(from));
  }

  Result<FeedPage> Read(const http::HttpResponse& response, const http::HttpRequest& request,
                        const std::string&) override {
    FeedPage out;
    const Status read = ReadCloudPage(
        response, request.url, [&](const json& values, const std::string& next_url) -> Status {
          fetched_.insert(request.url);
          LEADLINE_ASSIGN_OR_RETURN(
              const std::vector<model::PullRequest> page,
              ParsePage<model::PullRequest>(values, request.url, "pull request",
                                            ParseCloudPullRequest));
          UnixSeconds newest = 0;
          for (const model::PullRequest& pr : page) {
            newest = std::max(newest, pr.updated_at);
            // The newest of the page before, asked for again (>=), is not read twice.
            if (seen_.emplace(pr.number, pr.updated_at).second) {
              out.rows.pull_requests.push_back(pr);
            }
          }
          if (newest > 0) out.cursor = common::FormatRfc3339(newest);
          if (next_url.empty()) return Status::Ok();
          if (newest > reached_) {
            reached_ = newest;
            out.next = UpdatedSince(out.cursor);
          } else if (!fetched_.contains(next_url)) {
            out.next = WithUrl(UpdatedSince(""), next_url);
          }
          return Status::Ok();
        });
    if (!read.ok()) return read;
    return out;
  }

 private:
  // The pull requests of every state updated at or after `from` (all when empty), oldest update
  // first.
  http::HttpRequest UpdatedSince(const std::string& from) const {
    std::string path =
        "/pullrequests?state=OPEN&state=MERGED&state=DECLINED&state=SUPERSEDED&pagelen=50"
        "&sort=updated_on";
    if (!from.empty()) path += "&q=" + http::EncodeQueryValue("updated_on>=" + from);
    return CloudListRequest(settings_, location_, path, kCloudPullRequestFields);
  }

  ConnectionSettings settings_;
  std::string location_;
  UnixSeconds reached_ = 0;
  std::set<std::pair<std::int64_t, UnixSeconds>> seen_;  // (number, updated_at) read this walk
  std::set<std::string> fetched_;
};

}  // namespace

http::HttpRequest CloudListRequest(const ConnectionSettings& settings, const std::string& location,
                                   const std::string& path_and_query, const char* fields) {
  http::HttpRequest request;
  request.credentials = settings.Credentials();
  request.url = settings.url + "/repositories/" + location + path_and_query +
                "&fields=" + http::EncodeQueryValue(fields);
  return request;
}

CommitListing CloudPullRequestCommits(const ConnectionSettings& settings,
                                      const std::string& location, std::int64_t number) {
  CommitListing listing;
  listing.first = CloudListRequest(
      settings, location, "/pullrequests/" + std::to_string(number) + "/commits?pagelen=100",
      "next,values.hash,values.date,values.author.raw,values.message");
  const http::HttpRequest first = listing.first;
  listing.read = [first, number](const http::HttpResponse& response,
                                 const std::string& url) -> Result<CommitListing::Page> {
    CommitListing::Page page;
    const auto read = [&](const json& values, const std::string& next) -> Status {
      LEADLINE_ASSIGN_OR_RETURN(
          page.commits,
          ParsePage<model::PullRequestCommit>(values, url, "commit", [number](const json& value) {
            return ParseCloudPullRequestCommit(value, number);
          }));
      if (!next.empty() && next != url) page.next = WithUrl(first, next);
      return Status::Ok();
    };
    LEADLINE_RETURN_IF_ERROR(ReadCloudPage(response, url, read));
    return page;
  };
  return listing;
}

Feeds CloudRepositoryFeeds(const ConnectionSettings& settings,
                           const model::Repository& repository) {
  Feeds feeds;
  feeds.push_back(std::make_unique<ActivityFeed>(settings, repository.location));
  feeds.push_back(std::make_unique<PullRequestFeed>(settings, repository.location));
  feeds.push_back(std::make_unique<PipelineFeed>(settings, repository.location));
  feeds.push_back(std::make_unique<DeploymentFeed>(settings, repository.location));
  return feeds;
}

}  // namespace leadline::sources::bitbucket
