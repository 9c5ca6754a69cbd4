// Data Center under the context path: unauthenticated application-properties; with the HTTP access
// token, REST 1.0's repositories, per repository its pull requests (state, order) and each pull
// request's activities, and the legacy build-status 1.0 API's statuses of commits. Lists come in
// Data Center's {isLastPage, nextPageStart} pages.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>

#include "dc_workspace.h"
#include "double_state.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

// One page (`start`, `limit`) of `total` values, of which `value(i)` builds the i-th: only the
// page's values are built. A `limit` above `max_limit` is served as `max_limit`, and says so.
void SendPage(const httplib::Request& req, httplib::Response& res, std::size_t total, int max_limit,
              const std::function<json(std::size_t)>& value) {
  const int start = std::max(IntParam(req, "start", 0), 0);
  const int limit = std::clamp(IntParam(req, "limit", 25), 1, max_limit);
  const std::size_t end =
      std::min(total, static_cast<std::size_t>(start) + static_cast<std::size_t>(limit));
  json values = json::array();
  for (auto i = static_cast<std::size_t>(start); i < end; ++i) values.push_back(value(i));
  const bool last = end >= total;
  json body = {{"size", values.size()},
               {"limit", limit},
               {"start", start},
               {"isLastPage", last},
               {"values", values}};
  if (!last) body["nextPageStart"] = end;
  SendJson(res, 200, body);
}

// The repository ("repo-i" is i) that matches[1] and [2] name, or 0 having answered 404.
int KnownRepo(const DoubleState& state, const httplib::Request& req, httplib::Response& res) {
  const std::string key = req.matches[1];
  const std::string slug = req.matches[2];
  if (key != "PROJ") {
    DcError(res, 404, "Project " + key + " does not exist.",
            "com.atlassian.bitbucket.project.NoSuchProjectException");
    return 0;
  }
  for (int i = 1; i <= state.visible_repositories(); ++i) {
    if (slug == RepoSlug(i)) return i;
  }
  DcError(res, 404, "Repository " + key + "/" + slug + " does not exist.",
          "com.atlassian.bitbucket.repository.NoSuchRepositoryException");
  return 0;
}

// A query parameter's value in upper case (Data Center takes `state=all`), or `fallback`.
std::string EnumParam(const httplib::Request& req, const char* name, const std::string& fallback) {
  std::string value = req.has_param(name) ? req.get_param_value(name) : fallback;
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return value;
}

void PullRequests(DoubleState& state, const httplib::Request& req, httplib::Response& res,
                  int repo) {
  const std::string wanted = EnumParam(req, "state", "OPEN");
  const std::string order = EnumParam(req, "order", "NEWEST");
  if (wanted != "OPEN" && wanted != "DECLINED" && wanted != "MERGED" && wanted != "ALL") {
    return DcError(res, 400, "Invalid pull request state: " + wanted, nullptr);
  }
  if (order != "NEWEST" && order != "OLDEST") {
    return DcError(res, 400, "Invalid pull request order: " + order, nullptr);
  }
  const CloudWorkspaceShape shape = state.Shape(repo);
  std::vector<int> numbers;
  for (int number = 1; number <= shape.pull_requests; ++number) {
    if (wanted == "ALL" || PullRequestState(number) == wanted) numbers.push_back(number);
  }
  // Most recently updated first; ties: the higher id first.
  std::sort(numbers.begin(), numbers.end(), [&shape](int a, int b) {
    return std::pair(PullRequestUpdatedOn(shape, a), a) >
           std::pair(PullRequestUpdatedOn(shape, b), b);
  });
  if (order == "OLDEST") std::reverse(numbers.begin(), numbers.end());
  const std::string web_url = state.base_url() + state.config().dc_context_path;
  SendPage(req, res, numbers.size(), 1000, [&](std::size_t i) {
    return DcPullRequest(shape, state.history(repo), web_url, repo, numbers[i]);
  });
}

void Activities(DoubleState& state, const httplib::Request& req, httplib::Response& res, int repo) {
  const CloudWorkspaceShape shape = state.Shape(repo);
  const std::string id = req.matches[3];
  int number = 0;
  std::from_chars(id.data(), id.data() + id.size(), number);
  if (number < 1 || number > shape.pull_requests) {
    return DcError(res, 404,
                   "Pull request " + id + " does not exist in " + std::string(req.matches[1]) +
                       "/" + std::string(req.matches[2]) + ".",
                   "com.atlassian.bitbucket.pull.NoSuchPullRequestException");
  }
  // Newest first: what was posted on it comes before the workspace's own activity.
  json activities = DcCommentActivities(
      state, std::string(req.matches[1]) + "/" + std::string(req.matches[2]), number);
  for (json& activity : DcActivities(shape, state.history(repo), number)) {
    activities.push_back(std::move(activity));
  }
  SendPage(req, res, activities.size(), 1000, [&](std::size_t i) { return activities[i]; });
}

// The build statuses of every repository's commits, by commit (a commit two repositories share:
// the first's).
std::map<std::string, json> BuildStatuses(const DoubleState& state) {
  std::map<std::string, json> statuses;
  const int repositories = state.config().organisation ? state.config().repositories : 1;
  for (int repo = 1; repo <= repositories; ++repo) {
    statuses.merge(DcBuildStatuses(state.Shape(repo), state.history(repo)));
  }
  return statuses;
}

// POST: the build counts of each commit of the body's array that has builds.
void BuildStats(DoubleState& state, const httplib::Request& req, httplib::Response& res) {
  const json commits = json::parse(req.body, nullptr, false);
  if (!commits.is_array() ||
      !std::all_of(commits.begin(), commits.end(), [](const json& c) { return c.is_string(); })) {
    return DcError(res, 400, "The request body must be a JSON array of commit ids.", nullptr);
  }
  const auto statuses = BuildStatuses(state);
  json stats = json::object();
  for (const json& commit : commits) {
    const auto found = statuses.find(commit.get<std::string>());
    if (found != statuses.end()) stats[found->first] = DcBuildStats(found->second);
  }
  SendJson(res, 200, stats);
}

}  // namespace

void RegisterDataCenterRoutes(httplib::Server& http, DoubleState& state) {
  const BitbucketDoubleConfig& c = state.config();
  const std::string dc = c.dc_context_path + "/rest/api/1.0";
  const std::string repo = dc + "/projects/([^/]+)/repos/([^/]+)";
  const std::string build_status = c.dc_context_path + "/rest/build-status/1.0/commits";
  http.Get(dc + "/application-properties", [](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200,
             {{"version", "9.2.3"},
              {"buildNumber", "9002003"},
              {"buildDate", "1717000000000"},
              {"displayName", "Bitbucket"}});
  });
  http.Get(dc + "/repos", [&c, &state](const httplib::Request& req, httplib::Response& res) {
    if (!DcAuthorized(c, req, res)) return;
    // permission=REPO_WRITE: only the repositories the token may write to.
    const bool write = req.get_param_value("permission") == "REPO_WRITE";
    const int listed = write && c.dc_writable_repositories >= 0
                           ? std::min(c.dc_writable_repositories, state.visible_repositories())
                           : state.visible_repositories();
    SendPage(req, res, static_cast<std::size_t>(listed), 1000, [&](std::size_t index) {
      const int i = static_cast<int>(index) + 1;
      json repository = DcRepository(i);
      repository["links"] = {
          {"clone",
           {{{"href", "ssh://git@127.0.0.1:7999/proj/" + RepoSlug(i) + ".git"}, {"name", "ssh"}},
            {{"href", state.base_url() + c.dc_context_path + "/scm/proj/" + RepoSlug(i) + ".git"},
             {"name", "http"}}}}};
      return repository;
    });
  });
  http.Get(repo + "/pull-requests",
           [&c, &state](const httplib::Request& req, httplib::Response& res) {
             if (!DcAuthorized(c, req, res)) return;
             if (const int i = KnownRepo(state, req, res); i > 0) PullRequests(state, req, res, i);
           });
  http.Get(repo + R"(/pull-requests/(\d+)/activities)",
           [&c, &state](const httplib::Request& req, httplib::Response& res) {
             if (!DcAuthorized(c, req, res)) return;
             if (const int i = KnownRepo(state, req, res); i > 0) Activities(state, req, res, i);
           });
  http.Post(build_status + "/stats",
            [&c, &state](const httplib::Request& req, httplib::Response& res) {
              if (DcAuthorized(c, req, res)) BuildStats(state, req, res);
            });
  // An unknown commit has no builds: an empty page, not a 404.
  http.Get(
      build_status + "/([^/]+)", [&c, &state](const httplib::Request& req, httplib::Response& res) {
        if (!DcAuthorized(c, req, res)) return;
        const auto statuses = BuildStatuses(state);
        const auto found = statuses.find(req.matches[1]);
        const json statuses_of_commit = found == statuses.end() ? json::array() : found->second;
        SendPage(req, res, statuses_of_commit.size(), 100,
                 [&](std::size_t i) { return statuses_of_commit[i]; });
      });
}

}  // namespace leadline::testing
