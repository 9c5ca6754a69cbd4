#include "sources/gitlab/gitlab_feeds.h"

#include <nlohmann/json.hpp>

#include "http/pager.h"
#include "sources/gitlab/gitlab_parse.h"
#include "sources/gitlab/update_cursor.h"

namespace leadline::sources::gitlab {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

Result<json> ParseArray(const http::HttpResponse& response) {
  json page = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!page.is_array()) return Status::InvalidArgument("expected a JSON array of objects");
  return page;
}

http::HttpRequest Get(std::string url) {
  http::HttpRequest request;
  request.url = std::move(url);
  return request;
}

// GitLab's own time format, so that the cursor's times compare as text with GitLab's.
std::string GitLabTime(common::UnixSeconds t) {
  std::string text = common::FormatRfc3339(t);  // "2026-01-05T10:00:00Z"
  text.insert(text.size() - 1, ".000");
  return text;
}

// The fields every walked row has: its id and its update time as written.
Result<std::pair<std::int64_t, std::string>> IdAndUpdate(const json& item, const char* id_field,
                                                         std::size_t index) {
  const auto id = item.find(id_field);
  const auto updated = item.find("updated_at");
  if (id == item.end() || !id->is_number_integer()) {
    return Status::InvalidArgument("item " + std::to_string(index) + ": field '" + id_field +
                                   "': expected an integer");
  }
  if (updated == item.end() || !updated->is_string()) {
    return Status::InvalidArgument("item " + std::to_string(index) +
                                   ": field 'updated_at': expected a string");
  }
  return std::make_pair(id->get<std::int64_t>(), updated->get<std::string>());
}

// A listing fetched whole, each element parsed by `parse` into `rows`; or, `single_object`, one
// object parsed the same way.
template <typename Parse>
FeedDetail WholeListing(std::string first_url, Parse parse, bool single_object = false) {
  FeedDetail detail;
  detail.first = Get(std::move(first_url));
  detail.read = [parse, single_object](const http::HttpResponse& response,
                                       const std::string& url) -> Result<FeedDetail::Page> {
    FeedDetail::Page out;
    if (single_object) {
      const json object = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
      if (!object.is_object()) return Status::InvalidArgument("expected a JSON object");
      LEADLINE_RETURN_IF_ERROR(parse(object, out.rows));
      return out;
    }
    LEADLINE_ASSIGN_OR_RETURN(const json page, ParseArray(response));
    for (std::size_t i = 0; i < page.size(); ++i) {
      const Status parsed = parse(page[i], out.rows);
      if (!parsed.ok()) return parsed.WithContext("item " + std::to_string(i));
    }
    if (auto next = NextPageUrl(response, url)) out.next = Get(std::move(*next));
    return out;
  };
  return detail;
}

// A feed over one listing of the project walked by update time (see gitlab_feeds.h). `Row`
// parses one element into the page's rows and names the details it needs.
class UpdateWalk : public Feed {
 public:
  UpdateWalk(std::string name, FeedKind kind, std::string listing_url, const char* id_field)
      : name_(std::move(name)),
        kind_(kind),
        listing_url_(std::move(listing_url)),
        id_field_(id_field) {}

  std::string_view name() const override { return name_; }
  FeedKind kind() const override { return kind_; }

  Result<std::optional<http::HttpRequest>> First(const RepositoryView&, const std::string& cursor,
                                                 common::UnixSeconds since) override {
    std::string from = UpdateCursor::Parse(cursor).time;
    if (from.empty() && since > 0) from = GitLabTime(since);
    return std::optional(From(from));
  }

  Result<FeedPage> Read(const http::HttpResponse& response, const http::HttpRequest& request,
                        const std::string& cursor) override {
    LEADLINE_ASSIGN_OR_RETURN(const json page, ParseArray(response));
    const UpdateCursor before = UpdateCursor::Parse(cursor);
    UpdateCursor after = before;
    FeedPage out;
    bool fresh = false;
    for (std::size_t i = 0; i < page.size(); ++i) {
      LEADLINE_ASSIGN_OR_RETURN(const auto id_and_update, IdAndUpdate(page[i], id_field_, i));
      const auto& [id, updated_at] = id_and_update;
      if (before.Holds(updated_at, id)) continue;  // stored by the walk before
      const Status parsed = ReadRow(page[i], id, out);
      if (!parsed.ok()) return parsed.WithContext("item " + std::to_string(i));
      after.Advance(updated_at, id);
      fresh = true;
    }
    if (fresh) Finish(out);
    out.cursor = after.Format();
    // The walk goes on from the newest update it stored; only a page whose rows all share the
    // cursor's time follows GitLab's next link, as the time cannot advance then.
    const std::optional<std::string> next = NextPageUrl(response, request.url);
    if (next && after.time != before.time) {
      out.next = From(after.time);
    } else if (next) {
      out.next = Get(*next);
    }
    return out;
  }

 protected:
  // Parses one new row into `out` (and its details).
  virtual Status ReadRow(const json& item, std::int64_t id, FeedPage& out) const = 0;
  // Called once for a page that had new rows.
  virtual void Finish(FeedPage&) const {}

 private:
  http::HttpRequest From(const std::string& from) const {
    std::string url = listing_url_;
    if (!from.empty()) url += "&updated_after=" + http::EncodeQueryValue(from);
    return Get(std::move(url));
  }

  std::string name_;
  FeedKind kind_;
  std::string listing_url_;
  const char* id_field_;
};

class MergeRequestFeed final : public UpdateWalk {
 public:
  explicit MergeRequestFeed(std::string project_url)
      : UpdateWalk(
            "merge_requests", FeedKind::kPullRequests,
            project_url + "/merge_requests?state=all&order_by=updated_at&sort=asc&per_page=100",
            "iid"),
        project_url_(std::move(project_url)) {}

 private:
  Status ReadRow(const json& item, std::int64_t iid, FeedPage& out) const override {
    LEADLINE_ASSIGN_OR_RETURN(model::PullRequest pr, ParseMergeRequest(item));
    // A fast-forward or rebase merge landed its head as is: its commits are counted from the
    // target's commit it was made on, which only the merge request's own GET names (diff_refs).
    const bool fast_forward = pr.state == model::PullRequestState::kMerged && pr.merge_commit &&
                              *pr.merge_commit == pr.source_commit;
    out.rows.pull_requests.push_back(std::move(pr));
    if (fast_forward) {
      out.details.push_back(WholeListing(
          project_url_ + "/merge_requests/" + std::to_string(iid),
          [](const json& single, FeedRows& rows) -> Status {
            LEADLINE_ASSIGN_OR_RETURN(model::PullRequest full, ParseMergeRequest(single));
            rows.pull_requests.push_back(std::move(full));
            return Status::Ok();
          },
          /*single_object=*/true));
    }
    // An updated merge request may have new notes: its notes are read again, whole (the store
    // keeps each note once, by its id).
    FeedDetail notes =
        WholeListing(project_url_ + "/merge_requests/" + std::to_string(iid) +
                         "/notes?sort=asc&order_by=created_at&per_page=100",
                     [iid](const json& note, FeedRows& rows) -> Status {
                       LEADLINE_ASSIGN_OR_RETURN(std::optional<model::PullRequestActivity> activity,
                                                 ParseNote(note, iid));
                       if (activity) rows.activity.push_back(std::move(*activity));
                       return Status::Ok();
                     });
    notes.activity = true;
    out.details.push_back(std::move(notes));
    return Status::Ok();
  }

  std::string project_url_;
};

class PipelineFeed final : public UpdateWalk {
 public:
  explicit PipelineFeed(const std::string& project_url)
      : UpdateWalk("pipelines", FeedKind::kPipelines,
                   project_url + "/pipelines?order_by=updated_at&sort=asc&per_page=100", "id") {}

 private:
  Status ReadRow(const json& item, std::int64_t, FeedPage& out) const override {
    LEADLINE_ASSIGN_OR_RETURN(model::Pipeline pipeline, ParsePipeline(item));
    out.rows.pipelines.push_back(std::move(pipeline));
    return Status::Ok();
  }
};

class DeploymentFeed final : public UpdateWalk {
 public:
  explicit DeploymentFeed(std::string project_url)
      : UpdateWalk("deployments", FeedKind::kDeployments,
                   project_url + "/deployments?order_by=updated_at&sort=asc&per_page=100", "id"),
        project_url_(std::move(project_url)) {}

  // A deployment is a job of a pipeline: its start and end change the pipeline too.
  std::string_view follows() const override { return "pipelines"; }

 private:
  Status ReadRow(const json& item, std::int64_t, FeedPage& out) const override {
    LEADLINE_ASSIGN_OR_RETURN(model::PlatformDeployment deployment, ParseDeployment(item));
    deployment.provider = model::Provider::kGitLab;
    out.rows.deployments.push_back(std::move(deployment));
    return Status::Ok();
  }

  // The deployment listing names environments without their tier: the project's environments
  // come with every page that has new deployments (a new environment's tier is needed before
  // its first deployment counts; an environment's tier can change).
  void Finish(FeedPage& out) const override {
    out.details.push_back(WholeListing(project_url_ + "/environments?per_page=100",
                                       [](const json& item, FeedRows& rows) -> Status {
                                         LEADLINE_ASSIGN_OR_RETURN(ParsedEnvironment parsed,
                                                                   ParseEnvironment(item));
                                         rows.environments.push_back(std::move(parsed.environment));
                                         return Status::Ok();
                                       }));
  }

  std::string project_url_;
};

}  // namespace

std::string ProjectApiUrl(const ConnectionSettings& settings, const model::Repository& project) {
  // GitLab takes a project's path in place of its id, URL-encoded ("acme%2Fplatform%2Fapi").
  return settings.url + "/api/v4/projects/" + http::EncodeQueryValue(project.location);
}

Feeds ProjectFeeds(const ConnectionSettings& settings, const model::Repository& project) {
  const std::string project_url = ProjectApiUrl(settings, project);
  Feeds feeds;
  feeds.push_back(std::make_unique<MergeRequestFeed>(project_url));
  feeds.push_back(std::make_unique<PipelineFeed>(project_url));
  feeds.push_back(std::make_unique<DeploymentFeed>(project_url));
  return feeds;
}

}  // namespace leadline::sources::gitlab
