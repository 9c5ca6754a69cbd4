// The contract every upstream implements (Bitbucket Cloud and Data Center, GitLab, and the
// incident tools to come): what ingest, the CLI and the server may ask of a provider without
// naming it. A connector is stateless: every call gets the connection's settings and an HTTP
// client (which carries the connection's request budget), so one connector object serves every
// connection of its provider, from any thread.
//
// A repository's data arrives as feeds: each feed is a walk over one listing of the upstream
// (merge requests by update time, deployments, ...), page by page. Ingest runs every feed the
// same way (feed_runner.h): it asks for the page the saved cursor names, lets the feed parse it
// into rows, fetches the page's details (a merge request's notes, say), and commits the rows
// with the page's cursor in one transaction, so that a sync cut anywhere resumes where it
// stopped, with nothing duplicated or lost.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "http/http_client.h"
#include "model/pipeline.h"
#include "model/provider.h"
#include "model/pull_request.h"
#include "model/repository.h"
#include "sources/contract/connection_settings.h"

namespace leadline::sources {

// What a connection check found: who the credentials are, what they see, and facts worth telling
// the person connecting ("token expires 2027-01-31", "scopes: read_api").
struct CheckReport {
  std::string user;
  std::int64_t repositories = 0;
  std::string server_version;  // empty when the upstream does not say
  std::vector<std::string> notes;
  // A code host: whether the credentials may post feedback on pull requests (docs/feedback.md),
  // naming what they lack when they may not; empty for an incident tool.
  std::string feedback;
};

// The rows a page (or a page's details) parsed into; only the kinds a feed reads are filled.
struct FeedRows {
  std::vector<model::PullRequest> pull_requests;
  std::vector<model::PullRequestActivity> activity;
  std::vector<model::Pipeline> pipelines;
  std::vector<model::Environment> environments;
  std::vector<model::PlatformDeployment> deployments;

  std::size_t size() const {
    return pull_requests.size() + activity.size() + pipelines.size() + environments.size() +
           deployments.size();
  }
  void Append(FeedRows&& other);
};

// A listing fetched whole for the rows of one page (a merge request's notes): every page of it
// is read before the page's rows are committed. A page's details are fetched several at a time,
// so `read` may be called from several threads at once (it must not share mutable state).
struct FeedDetail {
  http::HttpRequest first;
  // Parses one page of the listing; `next` is the listing's following page, if any.
  struct Page {
    FeedRows rows;
    std::optional<http::HttpRequest> next;
  };
  std::function<common::Result<Page>(const http::HttpResponse& response, const std::string& url)>
      read;
  // Reads review activity (a pull request's comments and approvals): its requests count as the
  // activity's in a sync's counts, not as its feed's.
  bool activity = false;
};

// One page of a feed as the feed read it.
struct FeedPage {
  FeedRows rows;
  // Saved with the rows, in their transaction: where a later walk starts.
  std::string cursor;
  // The walk's next page; nullopt when this page ends the walk.
  std::optional<http::HttpRequest> next;
  std::vector<FeedDetail> details;
};

// What a feed may read of the repository's stored rows before its walk, those that feeds run
// earlier in the same sync stored included (the pipelines whose branches deployments take).
// Read-only; used from the feed runner's thread.
class RepositoryView {
 public:
  virtual ~RepositoryView() = default;
  virtual common::Result<std::vector<model::Environment>> Environments() const = 0;
  virtual common::Result<std::vector<model::Pipeline>> Pipelines() const = 0;
  virtual common::Result<std::vector<model::PullRequest>> PullRequests() const = 0;
  // Every stored commit's id and committer time, streamed (a history may hold millions).
  virtual common::Status ForEachCommit(
      const std::function<void(std::string_view sha, common::UnixSeconds committer_time)>& visit)
      const = 0;
};

// What a feed is mainly about, for the counts a sync reports.
enum class FeedKind { kPullRequests, kActivity, kPipelines, kDeployments };

// A feed object serves one walk of one repository (RepositoryFeeds makes them per sync), so it
// may keep what it learns along the walk; the runner calls it from one thread.
class Feed {
 public:
  virtual ~Feed() = default;
  // The cursor's name in the store ("merge_requests"); unique among a repository's feeds.
  virtual std::string_view name() const = 0;
  // What it reads, for messages ("pull requests of acme/api: ..."); the cursor's name by default.
  virtual std::string_view title() const { return name(); }
  virtual FeedKind kind() const = 0;
  // The feed, run earlier in the same sync, whose changes this one follows ("" for none): after
  // its first walk, this feed runs only when that feed stored new or changed rows since this one
  // last ran to its end (GitLab's deployments are jobs of pipelines: an unchanged pipeline list
  // means unchanged deployments).
  virtual std::string_view follows() const { return {}; }
  // The walk's first request: from `cursor` (empty on a first sync, which goes back to `since`);
  // nullopt when there is nothing to ask this time. `stored` is what the store holds of the
  // repository, for a feed that needs it (the environments its deployments name). An error when
  // the cursor cannot be read.
  virtual common::Result<std::optional<http::HttpRequest>> First(const RepositoryView& stored,
                                                                 const std::string& cursor,
                                                                 common::UnixSeconds since) = 0;
  // The walk's first request failed with `failed` (a 404 for a resume link the host forgot, a
  // 400 for a sort it refuses): the request to start again with, once, or nullopt to fail.
  virtual std::optional<http::HttpRequest> Restart(const common::Status& /*failed*/) {
    return std::nullopt;
  }
  // Reads the answer to `request` (a 2xx; ingest turns other answers into errors). `cursor` is
  // the cursor the walk stands at. Errors name the field; ingest adds the repository and URL.
  virtual common::Result<FeedPage> Read(const http::HttpResponse& response,
                                        const http::HttpRequest& request,
                                        const std::string& cursor) = 0;
};

using Feeds = std::vector<std::unique_ptr<Feed>>;

// A listing of one pull request's own commits, page by page (Bitbucket Cloud's
// `/pullrequests/{id}/commits`).
struct CommitListing {
  struct Page {
    std::vector<model::PullRequestCommit> commits;
    std::optional<http::HttpRequest> next;
  };
  http::HttpRequest first;
  // Parses one page (a 2xx; the caller turns other answers into errors).
  std::function<common::Result<Page>(const http::HttpResponse& response, const std::string& url)>
      read;
};

// Where an upstream's webhook deliveries go and how they are signed.
struct HookTarget {
  std::string url;     // where deliveries go: <public_url>/v1/webhooks/<connection>
  std::string secret;  // the connection's webhook secret
};

class Connector {
 public:
  virtual ~Connector() = default;

  virtual model::Provider provider() const = 0;

  // Requests an hour one connection may make unless told otherwise: the upstream's documented
  // limit (Bitbucket Cloud 1,000), or 0 for none (self-managed servers, whose admins set limits;
  // their 429s and RateLimit headers are honoured whatever this says).
  virtual int DefaultRequestsPerHour(const ConnectionSettings& settings) const = 0;

  // Checks the settings against the upstream: an actionable error when they do not work.
  virtual common::Result<CheckReport> Check(http::HttpClient& client,
                                            const ConnectionSettings& settings) const = 0;

  // The repositories the credentials can see, with source, location, name, clone URL and default
  // branch filled.
  virtual common::Result<std::vector<model::Repository>> ListRepositories(
      http::HttpClient& client, const ConnectionSettings& settings) const = 0;

  // The feeds of one repository, in the order they run, made for one sync.
  virtual Feeds RepositoryFeeds(const ConnectionSettings& settings,
                                const model::Repository& repository) const = 0;

  // Refs beyond branches and tags the repository's git mirror keeps, with their commits (patterns
  // as git::MirrorFetch::extra_refs); none by default.
  virtual std::vector<std::string> MirrorRefs() const { return {}; }

  // The listing of pull request `number`'s own commits, for the merged pull requests squashed from
  // a branch no sync mirrored (ingest/branch_commits.h); nullopt for an upstream that lists none
  // (the default).
  virtual std::optional<CommitListing> PullRequestCommits(const ConnectionSettings& /*settings*/,
                                                          const model::Repository& /*repository*/,
                                                          std::int64_t /*number*/) const {
    return std::nullopt;
  }

  // Registers (or updates) Leadline's webhook on `repository`; returns the hook's id.
  virtual common::Result<std::string> RegisterWebhook(http::HttpClient& client,
                                                      const ConnectionSettings& settings,
                                                      const model::Repository& repository,
                                                      const HookTarget& target) const = 0;
  // Removes it; a hook that is already gone is not an error.
  virtual common::Status RemoveWebhook(http::HttpClient& client, const ConnectionSettings& settings,
                                       const model::Repository& repository,
                                       const std::string& hook_id) const = 0;
};

}  // namespace leadline::sources
