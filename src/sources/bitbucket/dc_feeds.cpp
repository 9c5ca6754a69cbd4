#include "sources/bitbucket/dc_feeds.h"

#include <algorithm>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

#include "sources/bitbucket/dc_parse.h"
#include "sources/bitbucket/newest_first_feed.h"
#include "sources/contract/parse_page.h"

namespace leadline::sources::bitbucket {
namespace {

using common::Result;
using common::Status;
using common::UnixSeconds;
using nlohmann::json;

constexpr http::PageStyle kDc = http::PageStyle::kBitbucketDataCenter;

// One pull request's activities, every page, read whole before its page is stored.
FeedDetail ActivitiesOf(const http::HttpRequest& first, std::int64_t number) {
  FeedDetail detail;
  detail.first = first;
  detail.activity = true;
  detail.read = [first, number](const http::HttpResponse& response,
                                const std::string& url) -> Result<FeedDetail::Page> {
    FeedDetail::Page page;
    const auto read = [&](const json& values, const std::string& next) -> Status {
      for (std::size_t i = 0; i < values.size(); ++i) {
        auto entry = ParseDcActivity(values[i], number);
        if (!entry.ok()) return entry.status().WithContext("activity " + std::to_string(i));
        if (*entry) page.rows.activity.push_back(std::move(**entry));
      }
      if (!next.empty() && next != url) page.next = WithUrl(first, next);
      return Status::Ok();
    };
    LEADLINE_RETURN_IF_ERROR(http::ReadListPage(kDc, response, url, first.url, read));
    return page;
  };
  return detail;
}

class PullRequestFeed final : public NewestFirstFeed {
 public:
  PullRequestFeed(const ConnectionSettings& settings, std::string location)
      : NewestFirstFeed("pull_requests", "pull requests", FeedKind::kPullRequests, kDc,
                        DcRepositoryRequest(settings, location,
                                            "/pull-requests?state=ALL&order=NEWEST&limit=100"),
                        /*from_since=*/true, /*check_order=*/false),
        settings_(settings),
        location_(std::move(location)) {}

  // Takes up what each stored pull request looked like: its activities are read again only when
  // it changed.
  Result<std::optional<http::HttpRequest>> First(const RepositoryView& stored,
                                                 const std::string& cursor,
                                                 UnixSeconds since) override {
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequest> pull_requests,
                              stored.PullRequests());
    for (const model::PullRequest& pr : pull_requests) stored_updates_[pr.number] = pr.updated_at;
    since_ = since;
    return NewestFirstFeed::First(stored, cursor, since);
  }

 private:
  Result<PageRows> ReadRows(const json& values, const std::string& url, FeedPage& out) override {
    LEADLINE_ASSIGN_OR_RETURN(
        out.rows.pull_requests,
        ParsePage<model::PullRequest>(values, url, "pull request", ParseDcPullRequest));
    PageRows rows;
    for (const model::PullRequest& pr : out.rows.pull_requests) {
      rows.Saw(pr.updated_at);
      const auto known = stored_updates_.find(pr.number);
      if (known != stored_updates_.end() && known->second == pr.updated_at) continue;
      if (pr.updated_at < since_) continue;
      stored_updates_[pr.number] = pr.updated_at;
      out.details.push_back(ActivitiesOf(
          DcRepositoryRequest(
              settings_, location_,
              "/pull-requests/" + std::to_string(pr.number) + "/activities?limit=1000"),
          pr.number));
    }
    return rows;
  }

  ConnectionSettings settings_;
  std::string location_;
  std::map<std::int64_t, UnixSeconds> stored_updates_;
  UnixSeconds since_ = 0;
};

// Commits asked about per stats request.
constexpr std::size_t kStatsBatch = 100;

// Where the last walk stopped: the newest commit time it asked about and the commits of that
// second (more may arrive with the same time).
struct BuildCursor {
  UnixSeconds time = 0;
  std::set<std::string> shas;

  static BuildCursor Parse(const std::string& text, UnixSeconds since) {
    const json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object() || !parsed.contains("time") || !parsed["time"].is_number_integer()) {
      return {since, {}};
    }
    BuildCursor cursor{parsed["time"].get<UnixSeconds>(), {}};
    if (parsed.contains("shas") && parsed["shas"].is_array()) {
      for (const json& sha : parsed["shas"]) {
        if (sha.is_string()) cursor.shas.insert(sha.get<std::string>());
      }
    }
    return cursor;
  }
  std::string Format() const { return json{{"time", time}, {"shas", shas}}.dump(); }
  // Whether a commit of `at` was asked about already.
  bool Holds(UnixSeconds at, const std::string& sha) const {
    return at < time || (at == time && shas.contains(sha));
  }
  void Advance(UnixSeconds at, const std::string& sha) {
    if (at > time) *this = {at, {}};
    if (at == time) shas.insert(sha);
  }
};

// The requests of one walk, in order: a stats request per hundred new commits, each followed by
// the builds of those of its commits that have some; then the builds of commits still running.
class BuildStatusFeed final : public Feed {
 public:
  explicit BuildStatusFeed(const ConnectionSettings& settings) : settings_(settings) {}

  std::string_view name() const override { return "build_statuses"; }
  std::string_view title() const override { return "build statuses"; }
  FeedKind kind() const override { return FeedKind::kPipelines; }

  Result<std::optional<http::HttpRequest>> First(const RepositoryView& stored,
                                                 const std::string& cursor,
                                                 UnixSeconds since) override {
    cursor_ = BuildCursor::Parse(cursor, since);
    // Commits that arrived since the last walk are asked whether they have builds at all.
    std::vector<std::pair<UnixSeconds, std::string>> arrived;
    LEADLINE_RETURN_IF_ERROR(stored.ForEachCommit([&](std::string_view sha, UnixSeconds at) {
      std::string id(sha);
      if (!cursor_.Holds(at, id)) arrived.emplace_back(at, std::move(id));
    }));
    std::sort(arrived.begin(), arrived.end());
    std::set<std::string> asked;
    for (std::size_t start = 0; start < arrived.size(); start += kStatsBatch) {
      const std::size_t end = std::min(arrived.size(), start + kStatsBatch);
      batches_.emplace_back(arrived.begin() + static_cast<std::ptrdiff_t>(start),
                            arrived.begin() + static_cast<std::ptrdiff_t>(end));
    }
    for (const auto& [at, sha] : arrived) asked.insert(sha);
    // Commits whose builds were still running are read again directly: they have builds.
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Pipeline> builds, stored.Pipelines());
    std::set<std::string> running;
    for (const model::Pipeline& build : builds) {
      if (build.state != model::PipelineState::kCompleted && !asked.contains(build.commit_sha) &&
          running.insert(build.commit_sha).second) {
        running_.push_back(build.commit_sha);
      }
    }
    return Next();
  }

  Result<FeedPage> Read(const http::HttpResponse& response, const http::HttpRequest& request,
                        const std::string&) override {
    FeedPage out;
    if (reading_ == Reading::kStats) {
      LEADLINE_RETURN_IF_ERROR(ReadStats(response, request.url));
      // Each commit of the hundred was asked about: the cursor moves past them once their builds
      // are stored (with this page when none has any).
      for (const auto& [at, sha] : batches_.front()) cursor_.Advance(at, sha);
      batches_.pop_front();
      if (with_builds_.empty()) out.cursor = cursor_.Format();
    } else {
      LEADLINE_RETURN_IF_ERROR(ReadBuilds(response, request.url, out));
      if (out.next) return out;  // the same commit's next page
      if (reading_ == Reading::kBuildsOfNew && with_builds_.empty()) out.cursor = cursor_.Format();
    }
    LEADLINE_ASSIGN_OR_RETURN(out.next, Next());
    return out;
  }

 private:
  enum class Reading { kStats, kBuildsOfNew, kBuildsOfRunning };

  // The walk's next request, and what it reads; nullopt at its end.
  Result<std::optional<http::HttpRequest>> Next() {
    if (!with_builds_.empty()) {
      reading_ = Reading::kBuildsOfNew;
      return std::optional(BuildsOf(Take(with_builds_)));
    }
    if (!batches_.empty()) {
      reading_ = Reading::kStats;
      std::vector<std::string> shas;
      for (const auto& [at, sha] : batches_.front()) shas.push_back(sha);
      http::HttpRequest request = BuildStatusRequest("/stats");
      request.method = "POST";
      request.headers.emplace_back("Content-Type", "application/json");
      request.body = json(shas).dump();
      return std::optional(std::move(request));
    }
    if (!running_.empty()) {
      reading_ = Reading::kBuildsOfRunning;
      return std::optional(BuildsOf(Take(running_)));
    }
    return std::optional<http::HttpRequest>();
  }

  // Which commits of the hundred have build statuses at all.
  Status ReadStats(const http::HttpResponse& response, const std::string& url) {
    const json stats = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (!stats.is_object()) {
      return Status::InvalidArgument("the build statistics from " + http::RedactUrl(url) +
                                     " are not a JSON object");
    }
    for (const auto& [sha, counts] : stats.items()) {
      if (counts.is_object() && !counts.empty()) with_builds_.push_back(sha);
    }
    return Status::Ok();
  }

  // One page of a commit's build statuses.
  Status ReadBuilds(const http::HttpResponse& response, const std::string& url, FeedPage& out) {
    const auto read = [&](const json& values, const std::string& next) -> Status {
      LEADLINE_ASSIGN_OR_RETURN(
          out.rows.pipelines,
          ParsePage<model::Pipeline>(values, url, "build status", [&](const json& value) {
            return ParseDcBuildStatus(value, commit_);
          }));
      if (!next.empty() && next != url) out.next = WithUrl(BuildsOf(commit_), next);
      return Status::Ok();
    };
    return http::ReadListPage(kDc, response, url, BuildsOf(commit_).url, read);
  }

  std::string Take(std::deque<std::string>& queue) {
    commit_ = std::move(queue.front());
    queue.pop_front();
    return commit_;
  }

  http::HttpRequest BuildsOf(const std::string& sha) const {
    return BuildStatusRequest("/" + sha + "?limit=100");
  }
  http::HttpRequest BuildStatusRequest(const std::string& path) const {
    http::HttpRequest request;
    request.credentials = settings_.Credentials();
    request.url = settings_.url + "/rest/build-status/1.0/commits" + path;
    return request;
  }

  ConnectionSettings settings_;
  BuildCursor cursor_;
  std::deque<std::vector<std::pair<UnixSeconds, std::string>>> batches_;  // not asked about yet
  std::deque<std::string> with_builds_;  // of the hundred last asked about, not read yet
  std::deque<std::string> running_;      // whose builds were still running
  Reading reading_ = Reading::kStats;
  std::string commit_;  // whose builds are being read
};

}  // namespace

http::HttpRequest DcRepositoryRequest(const ConnectionSettings& settings,
                                      const std::string& location,
                                      const std::string& path_and_query) {
  const std::size_t slash = location.find('/');  // "KEY/slug"
  http::HttpRequest request;
  request.credentials = settings.Credentials();
  request.url = settings.url + "/rest/api/1.0/projects/" + location.substr(0, slash) + "/repos/" +
                location.substr(slash + 1) + path_and_query;
  return request;
}

Feeds DcRepositoryFeeds(const ConnectionSettings& settings, const model::Repository& repository) {
  Feeds feeds;
  feeds.push_back(std::make_unique<PullRequestFeed>(settings, repository.location));
  feeds.push_back(std::make_unique<BuildStatusFeed>(settings));
  return feeds;
}

}  // namespace leadline::sources::bitbucket
