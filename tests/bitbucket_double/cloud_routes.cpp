// Bitbucket Cloud 2.0: /user, the workspace's repositories, and per repository its pull requests
// (state, q=updated_on>=..., sort, 50 a page at most), the repository-wide pull request activity
// (cursor pages, `?ctx=`), pipelines (sort=-created_on), deployments and environments. Credentials
// and scopes are checked the way Cloud checks them.
#include <limits>
#include <set>

#include "common/time.h"
#include "double_state.h"
#include "fields_filter.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

// A page as Cloud sends it: without the fields the request's `fields=` excludes.
void SendCloudPage(const httplib::Request& req, httplib::Response& res, json& body) {
  RemoveExcludedFields(body, req.get_param_value("fields"));
  SendJson(res, 200, body);
}

// The query of `req` with `page` replaced, for a `next` link.
std::string NextLink(const DoubleState& state, const httplib::Request& req, const std::string& key,
                     const std::string& value) {
  std::string query;
  for (const auto& [name, param] : req.params) {
    if (name == key) continue;
    query += (query.empty() ? "" : "&") + name + "=" + httplib::detail::encode_query_param(param);
  }
  query += (query.empty() ? "" : "&") + key + "=" + value;
  return state.base_url() + req.path + "?" + query;
}

// One page-numbered page of `values`. Returns false (having answered 400) on a bad pagelen.
void SendNumberedPage(const DoubleState& state, const httplib::Request& req, httplib::Response& res,
                      const json& values, int max_pagelen) {
  const int pagelen = IntParam(req, "pagelen", 10);
  const int page = IntParam(req, "page", 1);
  if (pagelen < 1 || pagelen > max_pagelen || page < 1) {
    return CloudError(res, 400, "Invalid pagelen");
  }
  const auto total = static_cast<int>(values.size());
  json slice = json::array();
  for (int i = (page - 1) * pagelen; i < std::min(page * pagelen, total); ++i) {
    slice.push_back(values[static_cast<std::size_t>(i)]);
  }
  json body = {{"pagelen", pagelen}, {"page", page}, {"values", slice}};
  if (state.config().cloud_sends_size) body["size"] = total;
  if (page * pagelen < total) body["next"] = NextLink(state, req, "page", std::to_string(page + 1));
  SendCloudPage(req, res, body);
}

void PullRequests(DoubleState& state, const httplib::Request& req, httplib::Response& res) {
  std::set<std::string> states;
  for (std::size_t i = 0; i < req.get_param_value_count("state"); ++i) {
    states.insert(req.get_param_value("state", i));
  }
  if (states.empty()) states.insert("OPEN");  // Cloud's default
  std::int64_t since = std::numeric_limits<std::int64_t>::min();
  if (req.has_param("q")) {
    const std::string q = req.get_param_value("q");
    const std::string prefix = "updated_on>=";
    auto parsed = q.starts_with(prefix)
                      ? common::ParseRfc3339(q.substr(prefix.size()))
                      : common::Result<common::UnixSeconds>(common::Status::InvalidArgument(q));
    if (!parsed.ok()) return CloudError(res, 400, "Invalid query: " + q);
    since = *parsed;
  }
  const int repo = RepoNumber(req.matches[2]);
  const CloudWorkspaceShape shape = state.Shape(repo);
  const GitHistory& history = state.history(repo);
  const bool newest_first = req.get_param_value("sort") == "-updated_on";
  std::vector<int> numbers;
  for (int number = 1; number <= shape.pull_requests; ++number) {
    if (states.contains(PullRequestState(number)) && PullRequestUpdatedOn(shape, number) >= since)
      numbers.push_back(number);
  }
  // Least recently updated first (ties: the lower id first), as `sort=updated_on` asks.
  std::sort(numbers.begin(), numbers.end(), [&shape](int a, int b) {
    return std::pair(PullRequestUpdatedOn(shape, a), a) <
           std::pair(PullRequestUpdatedOn(shape, b), b);
  });
  if (newest_first) std::reverse(numbers.begin(), numbers.end());
  const int pagelen = IntParam(req, "pagelen", 10);
  const int page = IntParam(req, "page", 1);
  if (pagelen < 1 || pagelen > 50 || page < 1) return CloudError(res, 400, "Invalid pagelen");
  // Built per page: a large workspace would otherwise build every pull request per request.
  json values = json::array();
  const auto total = static_cast<int>(numbers.size());
  // closed_on is left out unless asked for (BCLOUD-22709).
  const std::vector<std::string> added = AddedFields(req.get_param_value("fields"));
  const bool with_closed_on =
      std::find(added.begin(), added.end(), "values.closed_on") != added.end();
  for (int i = (page - 1) * pagelen; i < std::min(page * pagelen, total); ++i) {
    const int number = numbers[static_cast<std::size_t>(i)];
    json pull_request = CloudPullRequest(shape, history, req.matches[2], number);
    if (with_closed_on && PullRequestState(number) != "OPEN") {
      pull_request["closed_on"] = common::FormatRfc3339(PullRequestClosedOn(shape, number));
    }
    values.push_back(std::move(pull_request));
  }
  json body = {{"pagelen", pagelen}, {"page", page}, {"values", values}};
  if (state.config().cloud_sends_size) body["size"] = total;
  if (page * pagelen < total) body["next"] = NextLink(state, req, "page", std::to_string(page + 1));
  SendCloudPage(req, res, body);
}

// Cursor pages: `ctx` is opaque to clients; here it encodes the offset.
void Activity(DoubleState& state, const httplib::Request& req, httplib::Response& res) {
  const int pagelen = IntParam(req, "pagelen", 10);
  if (pagelen < 1 || pagelen > 50) return CloudError(res, 400, "Invalid pagelen");
  std::size_t offset = 0;
  if (req.has_param("ctx")) {
    const std::string ctx = req.get_param_value("ctx");
    if (!ctx.starts_with("o") || ctx.size() < 2) return CloudError(res, 400, "Invalid ctx");
    offset = std::stoul(ctx.substr(1), nullptr, 16);
  }
  const auto stream = state.ActivityStream(RepoNumber(req.matches[2]));
  json values = json::array();
  const std::size_t end = std::min(stream->size(), offset + static_cast<std::size_t>(pagelen));
  for (std::size_t i = offset; i < end; ++i) values.push_back((*stream)[i]);
  json body = {{"pagelen", pagelen}, {"values", values}};
  if (end < stream->size()) {
    char ctx[32];
    std::snprintf(ctx, sizeof(ctx), "o%zx", end);
    body["next"] = NextLink(state, req, "ctx", ctx);
  }
  SendCloudPage(req, res, body);
}

}  // namespace

void RegisterCloudRoutes(httplib::Server& http, DoubleState& state) {
  const BitbucketDoubleConfig& c = state.config();
  const std::string repo = R"(/2\.0/repositories/([^/]+)/([^/]+))";
  // A repository of the workspace, or a 404 in Cloud's words. Handlers outlive this function:
  // they capture by value, or refer to the state the double owns.
  auto known_repo = [&c, &state](const httplib::Request& req, httplib::Response& res) {
    for (int i = 1; i <= state.visible_repositories(); ++i) {
      if (req.matches[1] == c.workspace && req.matches[2] == RepoSlug(i)) return true;
    }
    CloudError(res, 404,
               "Repository " + std::string(req.matches[1]) + "/" + std::string(req.matches[2]) +
                   " not found");
    return false;
  };

  http.Get("/2.0/user", [&c](const httplib::Request& req, httplib::Response& res) {
    if (CloudAuth(c, req) == "access-token") {
      return CloudError(res, 403,
                        "This API is only accessible with the following authentication types: "
                        "session, password, apppassword, api_token");
    }
    if (!CloudAllowed(c, req, res, "read:user:bitbucket")) return;
    SendJson(res, 200,
             {{"type", "user"},
              {"display_name", "Dev Eloper"},
              {"nickname", c.nickname},
              {"account_id", "557058:00000000-0000-4000-8000-000000000001"},
              {"uuid", BracedUuid(1)},
              {"created_on", "2020-01-01T00:00:00.000000+00:00"}});
  });

  http.Get(R"(/2\.0/repositories/([^/]+))", [&state, &c](const httplib::Request& req,
                                                         httplib::Response& res) {
    if (!CloudAllowed(c, req, res, "read:repository:bitbucket")) return;
    if (req.matches[1] != c.workspace) {
      return CloudError(res, 404,
                        "No workspace with identifier '" + std::string(req.matches[1]) + "'.");
    }
    json values = json::array();
    for (int i = 1; i <= state.visible_repositories(); ++i) {
      values.push_back(
          {{"type", "repository"},
           {"full_name", c.workspace + "/" + RepoSlug(i)},
           {"name", RepoSlug(i)},
           {"slug", RepoSlug(i)},
           {"uuid", BracedUuid(100 + i)},
           {"is_private", true},
           {"scm", "git"},
           {"mainbranch", {{"name", "main"}, {"type", "branch"}}},
           {"project", {{"type", "project"}, {"key", "PROJ"}, {"name", "Project"}}},
           {"links",
            {{"clone",
              {{{"name", "https"},
                {"href", state.base_url() + "/" + c.workspace + "/" + RepoSlug(i) + ".git"}},
               {{"name", "ssh"},
                {"href", "git@bitbucket.org:" + c.workspace + "/" + RepoSlug(i) + ".git"}}}}}},
           {"created_on", "2024-01-01T00:00:00.000000+00:00"},
           {"updated_on", "2026-11-01T12:00:00.123456+00:00"}});
    }
    SendNumberedPage(state, req, res, values, 100);
  });

  http.Get(repo + "/pullrequests",
           [&state, &c, known_repo](const httplib::Request& req, httplib::Response& res) {
             if (CloudAllowed(c, req, res, "read:pullrequest:bitbucket") && known_repo(req, res)) {
               PullRequests(state, req, res);
             }
           });
  http.Get(repo + "/pullrequests/activity",
           [&state, &c, known_repo](const httplib::Request& req, httplib::Response& res) {
             if (CloudAllowed(c, req, res, "read:pullrequest:bitbucket") && known_repo(req, res)) {
               Activity(state, req, res);
             }
           });
  http.Get(
      repo + R"(/pullrequests/(\d+)/commits)",
      [&state, &c, known_repo](const httplib::Request& req, httplib::Response& res) {
        if (!CloudAllowed(c, req, res, "read:pullrequest:bitbucket") || !known_repo(req, res)) {
          return;
        }
        const int repo_number = RepoNumber(req.matches[2]);
        const CloudWorkspaceShape shape = state.Shape(repo_number);
        const int number = req.matches[3].length() > 9 ? 0 : std::stoi(std::string(req.matches[3]));
        if (number < 1 || number > shape.pull_requests) {
          return CloudError(res, 404, "Pull request " + std::string(req.matches[3]) + " not found");
        }
        if (number == c.failing_commits_list) {
          return CloudError(res, 500, "Something went wrong");
        }
        const bool gone = !c.cloud_keeps_branch_commits && PullRequestState(number) == "MERGED";
        SendNumberedPage(state, req, res,
                         gone ? json::array()
                              : CloudPullRequestCommits(shape, state.history(repo_number), number),
                         100);
      });
  http.Get(repo + "/pipelines/?", [&state, &c, known_repo](const httplib::Request& req,
                                                           httplib::Response& res) {
    if (!CloudAllowed(c, req, res, "read:pipeline:bitbucket") || !known_repo(req, res)) return;
    const std::string sort = req.get_param_value("sort");
    if (!sort.empty() && sort != "created_on" && sort != "-created_on") {
      return CloudError(res, 400, "Invalid sort field: " + sort);
    }
    const int i = RepoNumber(req.matches[2]);
    const bool newest_first = sort == "-created_on";
    SendNumberedPage(state, req, res,
                     CloudPipelines(state.Shape(i), state.history(i), req.matches[2], newest_first),
                     100);
  });
  http.Get(repo + "/deployments/?", [&state, &c, known_repo](const httplib::Request& req,
                                                             httplib::Response& res) {
    if (!CloudAllowed(c, req, res, "read:pipeline:bitbucket") || !known_repo(req, res)) return;
    // Undocumented, but sent by Bitbucket's own clients: newest start first.
    const std::string sort = req.get_param_value("sort");
    if (!sort.empty() && sort != "-state.started_on") {
      return CloudError(res, 400, "Invalid sort field: " + sort);
    }
    const int i = RepoNumber(req.matches[2]);
    SendNumberedPage(
        state, req, res,
        CloudDeployments(state.Shape(i), state.history(i), req.matches[2], !sort.empty()), 100);
  });
  http.Get(repo + "/environments/?",
           [&state, &c, known_repo](const httplib::Request& req, httplib::Response& res) {
             if (CloudAllowed(c, req, res, "read:pipeline:bitbucket") && known_repo(req, res)) {
               SendNumberedPage(state, req, res, CloudEnvironments(), 100);
             }
           });
}

}  // namespace leadline::testing
