#include "bitbucket_double.h"

#include <httplib.h>

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "common/time.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

std::string Base64(const std::string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0;
  unsigned value = 0;
  for (unsigned char c : in) {
    value = (value << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(value >> bits) & 0x3f];
    }
  }
  if (bits > 0) out += kAlphabet[(value << (6 - bits)) & 0x3f];
  while (out.size() % 4 != 0) out += '=';
  return out;
}

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

// Cloud's error body.
void CloudError(httplib::Response& res, int status, const std::string& message,
                const json& detail = nullptr) {
  json error = {{"message", message}};
  if (!detail.is_null()) error["detail"] = detail;
  SendJson(res, status, {{"type", "error"}, {"error", error}});
}

int IntParam(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  try {
    return std::stoi(req.get_param_value(name));
  } catch (...) {
    return -1;
  }
}

std::string RepoSlug(int i) { return "repo-" + std::to_string(i); }

std::string Uuid(int i) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "{00000000-0000-4000-8000-%012d}", i);
  return buffer;
}

constexpr std::int64_t kPullRequestsStart = 1767225600;  // 2026-01-01T00:00:00Z

std::int64_t CreatedOn(int i) { return kPullRequestsStart + i * 3600; }
std::int64_t UpdatedOn(int i) { return CreatedOn(i) + 1800; }

std::string ShortHash(int i, char salt) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%c%011x", salt, static_cast<unsigned>(i) * 2654435761u);
  return buffer;
}

json PullRequestJson(const BitbucketDoubleConfig& c, const std::string& workspace,
                     const std::string& slug, int i) {
  const std::string state = i % 3 == 0 ? "MERGED" : i % 5 == 0 ? "DECLINED" : "OPEN";
  const json author = {{"type", "user"},
                       {"display_name", "Dev Eloper"},
                       {"nickname", c.nickname},
                       {"uuid", Uuid(1)},
                       {"account_id", "557058:00000000-0000-4000-8000-000000000001"}};
  const json repository = {{"type", "repository"}, {"full_name", workspace + "/" + slug}};
  return {{"type", "pullrequest"},
          {"id", i},
          {"title", "Change " + std::to_string(i)},
          {"description", ""},
          {"state", state},
          {"author", author},
          {"source",
           {{"branch", {{"name", "feature/" + std::to_string(i)}}},
            {"commit", {{"type", "commit"}, {"hash", ShortHash(i, 'a')}}},
            {"repository", repository}}},
          {"destination",
           {{"branch", {{"name", "main"}}},
            {"commit", {{"type", "commit"}, {"hash", ShortHash(i, 'b')}}},
            {"repository", repository}}},
          {"merge_commit", state == "MERGED" ? json{{"type", "commit"}, {"hash", ShortHash(i, 'c')}}
                                             : json(nullptr)},
          {"comment_count", i % 4},
          {"task_count", 0},
          {"close_source_branch", true},
          {"closed_by", state == "OPEN" ? json(nullptr) : author},
          {"reason", ""},
          {"created_on", common::FormatRfc3339(CreatedOn(i))},
          {"updated_on", common::FormatRfc3339(UpdatedOn(i))},
          {"draft", false}};
}

}  // namespace

struct BitbucketDouble::Server {
  httplib::Server http;
};

BitbucketDouble::BitbucketDouble(BitbucketDoubleConfig config)
    : config_(std::move(config)), server_(std::make_unique<Server>()) {
  httplib::Server& http = server_->http;
  const BitbucketDoubleConfig& c = config_;

  http.set_pre_routing_handler([this](const httplib::Request&, httplib::Response& res) {
    ++requests_;
    if (fail_count_.load() > 0 && pass_before_failing_.fetch_sub(1) <= 0 &&
        fail_count_.fetch_sub(1) > 0) {
      const int status = fail_status_.load();
      if (status == 429) {
        CloudError(res, 429, "Rate limit for this resource has been exceeded");
      } else {
        res.status = status;
        res.set_content("<html><body>Service unavailable</body></html>", "text/html");
      }
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Cloud: which credentials a request carries ("api-token", "access-token", or "").
  auto cloud_auth = [&c](const httplib::Request& req) -> std::string {
    const std::string header = req.get_header_value("Authorization");
    if (header == "Basic " + Base64(c.email + ":" + c.api_token)) return "api-token";
    if (header == "Bearer " + c.access_token) return "access-token";
    return "";
  };
  auto refuse_cloud = [](httplib::Response& res) {
    res.status = 401;
    res.set_header("WWW-Authenticate", "Basic realm=\"Bitbucket.org HTTP\"");
  };
  auto lacks_scope = [&c](httplib::Response& res, const std::string& scope) {
    if (c.granted_scopes.contains(scope)) return false;
    CloudError(
        res, 403, "Your credentials lack one or more required privilege scopes.",
        {{"required", {scope}},
         {"granted", std::vector<std::string>(c.granted_scopes.begin(), c.granted_scopes.end())}});
    return true;
  };

  http.Get("/2.0/user", [=, &c](const httplib::Request& req, httplib::Response& res) {
    const std::string auth = cloud_auth(req);
    if (auth.empty()) return refuse_cloud(res);
    if (auth == "access-token") {
      return CloudError(res, 403,
                        "This API is only accessible with the following authentication types: "
                        "session, password, apppassword, api_token");
    }
    if (lacks_scope(res, "read:user:bitbucket")) return;
    SendJson(res, 200,
             {{"type", "user"},
              {"display_name", "Dev Eloper"},
              {"nickname", c.nickname},
              {"account_id", "557058:00000000-0000-4000-8000-000000000001"},
              {"uuid", Uuid(1)},
              {"created_on", "2020-01-01T00:00:00.000000+00:00"}});
  });

  http.Get(R"(/2\.0/repositories/([^/]+))", [=, this, &c](const httplib::Request& req,
                                                          httplib::Response& res) {
    if (cloud_auth(req).empty()) return refuse_cloud(res);
    if (lacks_scope(res, "read:repository:bitbucket")) return;
    if (req.matches[1] != c.workspace) {
      return CloudError(res, 404,
                        "No workspace with identifier '" + std::string(req.matches[1]) + "'.");
    }
    const int pagelen = IntParam(req, "pagelen", 10);
    const int page = IntParam(req, "page", 1);
    if (pagelen < 1 || pagelen > 100 || page < 1) {
      return CloudError(res, 400, "Invalid pagelen or page");
    }
    json values = json::array();
    for (int i = (page - 1) * pagelen + 1; i <= std::min(page * pagelen, c.repositories); ++i) {
      values.push_back({{"type", "repository"},
                        {"full_name", c.workspace + "/" + RepoSlug(i)},
                        {"name", RepoSlug(i)},
                        {"slug", RepoSlug(i)},
                        {"uuid", Uuid(100 + i)},
                        {"is_private", true},
                        {"scm", "git"},
                        {"mainbranch", {{"name", "main"}, {"type", "branch"}}},
                        {"project", {{"type", "project"}, {"key", "PROJ"}, {"name", "Project"}}},
                        {"created_on", "2024-01-01T00:00:00.000000+00:00"},
                        {"updated_on", "2026-11-01T12:00:00.123456+00:00"}});
    }
    json body = {{"pagelen", pagelen}, {"page", page}, {"values", values}};
    if (c.cloud_sends_size) body["size"] = c.repositories;
    if (page * pagelen < c.repositories) {
      body["next"] = cloud_api_url() + "/repositories/" + c.workspace +
                     "?pagelen=" + std::to_string(pagelen) + "&page=" + std::to_string(page + 1);
    }
    SendJson(res, 200, body);
  });

  http.Get(R"(/2\.0/repositories/([^/]+)/([^/]+)/pullrequests)", [=, this, &c](
                                                                     const httplib::Request& req,
                                                                     httplib::Response& res) {
    if (cloud_auth(req).empty()) return refuse_cloud(res);
    if (lacks_scope(res, "read:pullrequest:bitbucket")) return;
    const int pagelen = IntParam(req, "pagelen", 10);
    const int page = IntParam(req, "page", 1);
    if (pagelen < 1 || pagelen > 50 || page < 1) {
      return CloudError(res, 400, "Invalid pagelen: pull requests are listed 1 to 50 a page");
    }
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
    json matching = json::array();
    for (int i = 1; i <= c.pull_requests_per_repo; ++i) {
      const json pr = PullRequestJson(c, req.matches[1], req.matches[2], i);
      if (states.contains(pr["state"]) && UpdatedOn(i) >= since) matching.push_back(pr);
    }
    json values = json::array();
    for (int i = (page - 1) * pagelen; i < std::min<int>(page * pagelen, matching.size()); ++i) {
      values.push_back(matching[static_cast<std::size_t>(i)]);
    }
    json body = {{"pagelen", pagelen}, {"page", page}, {"values", values}};
    if (page * pagelen < static_cast<int>(matching.size())) {
      std::string next = "http://127.0.0.1:" + std::to_string(port_) + req.path +
                         "?pagelen=" + std::to_string(pagelen) +
                         "&page=" + std::to_string(page + 1);
      for (const std::string& state : states) next += "&state=" + state;
      if (req.has_param("sort")) next += "&sort=" + req.get_param_value("sort");
      if (req.has_param("q"))
        next += "&q=" + httplib::detail::encode_query_param(req.get_param_value("q"));
      body["next"] = next;
    }
    SendJson(res, 200, body);
  });

  // Data Center, under the context path.
  const std::string dc = c.dc_context_path + "/rest/api/1.0";
  http.Get(dc + "/application-properties", [](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200,
             {{"version", "9.2.3"},
              {"buildNumber", "9002003"},
              {"buildDate", "1717000000000"},
              {"displayName", "Bitbucket"}});
  });
  http.Get(dc + "/repos", [&c](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "Bearer " + c.dc_token) {
      return SendJson(
          res, 401,
          {{"errors",
            {{{"context", nullptr},
              {"message", "Authentication failed. Please check your credentials and try again."},
              {"exceptionName",
               "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException"}}}}});
    }
    res.set_header("X-AUSERNAME", c.dc_username);
    const int start = IntParam(req, "start", 0);
    const int limit = std::clamp(IntParam(req, "limit", 25), 1, 1000);
    json values = json::array();
    for (int i = start + 1; i <= std::min(start + limit, c.repositories); ++i) {
      values.push_back({{"slug", RepoSlug(i)},
                        {"id", i},
                        {"name", RepoSlug(i)},
                        {"scmId", "git"},
                        {"state", "AVAILABLE"},
                        {"project", {{"key", "PROJ"}, {"id", 1}, {"name", "Project"}}}});
    }
    const bool last = start + limit >= c.repositories;
    json body = {{"size", values.size()},
                 {"limit", limit},
                 {"start", start},
                 {"isLastPage", last},
                 {"values", values}};
    if (!last) body["nextPageStart"] = start + limit;
    SendJson(res, 200, body);
  });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      res.set_content("<html><head><title>Page not found</title></head></html>", "text/html");
    }
  });

  port_ = http.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->http.listen_after_bind(); });
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

BitbucketDouble::~BitbucketDouble() {
  server_->http.stop();
  thread_.join();
}

std::string BitbucketDouble::cloud_api_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/2.0";
}

std::string BitbucketDouble::dc_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + config_.dc_context_path;
}

void BitbucketDouble::FailNext(int count, int status, int pass_first) {
  fail_status_ = status;
  pass_before_failing_ = pass_first;
  fail_count_ = count;
}

}  // namespace leadline::testing
