#include "jsm_double.h"

#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/base64.h"
#include "common/time.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

constexpr char kServiceField[] = "customfield_10050";
constexpr std::int64_t kMostResults = 100;

void Error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(json{{"errorMessages", {message}}, {"errors", json::object()}}.dump(),
                  "application/json");
}

// Jira's own time format: milliseconds and an offset without a colon.
std::string JiraTime(std::int64_t at) {
  std::string text = common::FormatRfc3339(at);  // "2025-01-01T00:00:00Z"
  return text.substr(0, 19) + ".000+0000";
}

// The page tokens the double hands out: opaque to clients, an offset to the double.
std::string TokenOf(std::int64_t offset) { return "CAEaAggD" + std::to_string(offset) + "Xz"; }
std::int64_t OffsetOf(const std::string& token) {
  if (!token.starts_with("CAEaAggD") || !token.ends_with("Xz") || token.size() > 40) return -1;
  const std::string digits = token.substr(8, token.size() - 10);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoll(digits);
}

// When generated incident `index` was last updated: when it was resolved, or created for the
// newest two, which are open.
std::int64_t GeneratedUpdatedAt(const JsmDoubleConfig& config, int index) {
  const std::int64_t created = config.first_incident_at + index * config.pace_seconds;
  return index < config.incidents - 2 ? created + 1800 + (index % 4) * 600 : created;
}

}  // namespace

struct JsmDouble::Server {
  explicit Server(JsmDoubleConfig c) : config(std::move(c)) {}
  JsmDoubleConfig config;
  httplib::Server http;
  mutable std::mutex mutex;
  std::map<std::string, int> by_path;
  std::map<int, int> by_status;
  std::map<int, Incident> changed;  // incidents changed by the test, by index
};

JsmDouble::Incident JsmDouble::IncidentAt(int index) const {
  const JsmDoubleConfig& config = server_->config;
  {
    std::lock_guard lock(server_->mutex);
    if (const auto found = server_->changed.find(index); found != server_->changed.end()) {
      return found->second;
    }
  }
  Incident incident;
  incident.id = std::to_string(10000 + index);
  incident.key = "OPS-" + std::to_string(index + 1);
  incident.service_id =
      config.services[static_cast<std::size_t>(index) % config.services.size()].first;
  incident.priority = config.priorities[static_cast<std::size_t>(index) % config.priorities.size()];
  incident.test = config.test_every > 0 && (index + 1) % config.test_every == 0;
  incident.summary = (incident.test ? "Paging drill " : "Errors rise on ") + std::to_string(index);
  incident.created_at = config.first_incident_at + index * config.pace_seconds;
  incident.updated_at = GeneratedUpdatedAt(config, index);
  if (index < config.incidents - 2) incident.resolved_at = incident.updated_at;
  return incident;
}

void JsmDouble::Resolve(int index, std::int64_t at) {
  Incident incident = IncidentAt(index);
  incident.resolved_at = at;
  incident.updated_at = common::NowUnixSeconds();
  std::lock_guard lock(server_->mutex);
  server_->changed[index] = incident;
}

void JsmDouble::Reopen(int index) {
  Incident incident = IncidentAt(index);
  incident.resolved_at = 0;  // Jira clears the resolution when a work item is re-opened
  incident.updated_at = common::NowUnixSeconds();
  std::lock_guard lock(server_->mutex);
  server_->changed[index] = incident;
}

void JsmDouble::SetPriority(int index, const std::string& priority) {
  Incident incident = IncidentAt(index);
  incident.priority = priority;
  incident.updated_at = common::NowUnixSeconds();
  std::lock_guard lock(server_->mutex);
  server_->changed[index] = incident;
}

JsmDouble::JsmDouble(JsmDoubleConfig config)
    : server_(std::make_unique<Server>(std::move(config))) {
  httplib::Server& http = server_->http;
  http.set_tcp_nodelay(true);

  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    ++requests_;
    {
      std::lock_guard lock(server_->mutex);
      ++server_->by_path[req.path.starts_with("/jsm/ops/") ? "/jsm/ops" : req.path];
    }
    if (const long long ms = latency_ms_.load(); ms > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
    if (req.path == "/_edge/tenant_info") return httplib::Server::HandlerResponse::Unhandled;
    const JsmDoubleConfig& c = server_->config;
    if (req.get_header_value("Authorization") !=
        "Basic " + common::Base64(c.email + ":" + c.token)) {
      Error(res, 401, "Client must be authenticated to access this resource.");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (fail_count_.load() > 0 && fail_count_.fetch_sub(1) > 0) {
      res.set_header("Retry-After", "1");
      Error(res, 429, "Rate limit exceeded.");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(server_->mutex);
    ++server_->by_status[res.status];
  });

  http.Get("/_edge/tenant_info", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(json{{"cloudId", server_->config.cloud_id}}.dump(), "application/json");
  });

  http.Get("/rest/api/3/myself", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(json{{"accountId", "5b10ac8d82e05b22cc7d4ef5"},
                         {"accountType", "atlassian"},
                         {"emailAddress", server_->config.email},
                         {"displayName", "Mia Krystof"},
                         {"active", true},
                         {"timeZone", "Europe/Berlin"}}
                        .dump(),
                    "application/json");
  });

  http.Get("/rest/api/3/priority/search", [this](const httplib::Request&, httplib::Response& res) {
    json values = json::array();
    const auto& names = server_->config.priorities;
    for (std::size_t i = 0; i < names.size(); ++i) {
      values.push_back({{"id", std::to_string(i + 1)}, {"name", names[i]}, {"isDefault", i == 2}});
    }
    res.set_content(json{{"maxResults", 50},
                         {"startAt", 0},
                         {"total", names.size()},
                         {"isLast", true},
                         {"values", values}}
                        .dump(),
                    "application/json");
  });

  http.Get("/rest/api/3/search", [](const httplib::Request&, httplib::Response& res) {
    Error(res, 410,
          "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.");
  });

  http.Get("/rest/api/3/search/jql", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string jql = req.get_param_value("jql");
    if (!jql.starts_with("issuetype = Incident")) {
      return Error(res, 400, "The double answers the JQL Leadline sends only");
    }
    std::int64_t updated_since = 0;
    if (const auto at = jql.find("updated >= \""); at != std::string::npos) {
      auto day = common::ParseRfc3339(jql.substr(at + 12, 10) + "T00:00:00Z");
      if (!day.ok()) return Error(res, 400, "Date value is invalid");
      updated_since = *day;
    }
    const bool newest_updated_first = jql.find("ORDER BY updated DESC") != std::string::npos;
    std::int64_t most = 50;
    if (req.has_param("maxResults")) {
      const std::string text = req.get_param_value("maxResults");
      if (text.empty() || text.size() > 4 ||
          text.find_first_not_of("0123456789") != std::string::npos) {
        return Error(res, 400, "maxResults must be a number");
      }
      most = std::min<std::int64_t>(std::stoll(text), kMostResults);
    }
    std::int64_t offset = 0;
    if (req.has_param("nextPageToken")) {
      offset = OffsetOf(req.get_param_value("nextPageToken"));
      if (offset < 0) return Error(res, 400, "Invalid nextPageToken");
    }
    const JsmDoubleConfig& c = server_->config;
    // The matching incidents by index and update time; only the page's are built in full, so
    // that a page of a large site costs the double little.
    std::map<int, Incident> changed;
    {
      std::lock_guard lock(server_->mutex);
      changed = server_->changed;
    }
    std::vector<std::pair<int, std::int64_t>> matching;
    for (int i = 0; i < c.incidents; ++i) {
      const auto found = changed.find(i);
      const std::int64_t updated =
          found == changed.end() ? GeneratedUpdatedAt(c, i) : found->second.updated_at;
      if (updated >= updated_since) matching.emplace_back(i, updated);
    }
    if (newest_updated_first) {
      std::stable_sort(matching.begin(), matching.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
    }
    json issues = json::array();
    std::int64_t at = offset;
    for (; at < static_cast<std::int64_t>(matching.size()) && at < offset + most; ++at) {
      const Incident incident = IncidentAt(matching[static_cast<std::size_t>(at)].first);
      std::string service_name = incident.service_id;
      for (const auto& [id, name] : c.services) {
        if (id == incident.service_id) service_name = name;
      }
      const bool done = incident.resolved_at != 0;
      json fields = {
          {"summary", incident.summary},
          {"issuetype", {{"id", "10004"}, {"name", "Incident"}}},
          {"priority", {{"id", "1"}, {"name", incident.priority}}},
          {"status",
           {{"name", done ? "Resolved" : "Work in progress"},
            {"statusCategory",
             {{"id", done ? 3 : 4},
              {"key", done ? "done" : "indeterminate"},
              {"name", done ? "Done" : "In Progress"}}}}},
          {"created", JiraTime(incident.created_at)},
          {"updated", JiraTime(incident.updated_at)},
          {"resolutiondate", done ? json(JiraTime(incident.resolved_at)) : json(nullptr)},
          {"labels", incident.test ? json({"test"}) : json::array()},
          {kServiceField, {{{"id", incident.service_id}, {"name", service_name}}}},
          {"customfield_10060", nullptr}};
      issues.push_back({{"id", incident.id},
                        {"key", incident.key},
                        {"self", "https://acme.atlassian.net/rest/api/3/issue/" + incident.id},
                        {"fields", fields}});
    }
    json page = {{"issues", issues},
                 {"names",
                  {{"summary", "Summary"},
                   {"priority", "Priority"},
                   {kServiceField, "Affected services"},
                   {"customfield_10060", "Request participants"}}}};
    if (at < static_cast<std::int64_t>(matching.size())) {
      page["nextPageToken"] = TokenOf(at);
      page["isLast"] = false;
    } else {
      page["isLast"] = true;  // like Jira, the last page names no token
    }
    res.set_content(page.dump(), "application/json");
  });

  http.Get(R"(/jsm/ops/api/([^/]+)/v1/schedules)",
           [this](const httplib::Request& req, httplib::Response& res) {
             const JsmDoubleConfig& c = server_->config;
             if (req.matches[1] != c.cloud_id) return Error(res, 404, "No such site");
             if (!c.operations) {
               return Error(res, 403, "The user does not have an Operations licence");
             }
             // Two schedules a page, one a team, so that links.next is followed.
             const std::int64_t offset =
                 req.has_param("offset") ? std::stoll(req.get_param_value("offset")) : 0;
             json values = json::array();
             std::size_t i = static_cast<std::size_t>(offset);
             for (; i < c.services.size() && values.size() < 2; ++i) {
               values.push_back({{"id", "sched-" + std::to_string(i)},
                                 {"name", c.services[i].second + " on call"},
                                 {"timezone", "Europe/Berlin"},
                                 {"enabled", true},
                                 {"teamId", "team-" + std::to_string(i)}});
             }
             json page = {{"values", values}};
             if (i < c.services.size()) {
               page["links"] = {{"next", url() + "/jsm/ops/api/" + c.cloud_id +
                                             "/v1/schedules?size=2&offset=" + std::to_string(i)}};
             }
             res.set_content(page.dump(), "application/json");
           });

  port_ = server_->config.port == 0
              ? http.bind_to_any_port("127.0.0.1")
              : (http.bind_to_port("127.0.0.1", server_->config.port) ? server_->config.port : -1);
  if (port_ <= 0) throw std::runtime_error("the Jira Service Management double cannot listen");
  thread_ = std::thread([this] { server_->http.listen_after_bind(); });
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

JsmDouble::~JsmDouble() {
  server_->http.stop();
  thread_.join();
}

std::string JsmDouble::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::map<std::string, int> JsmDouble::requests_by_path() const {
  std::lock_guard lock(server_->mutex);
  return server_->by_path;
}

int JsmDouble::answered(int status) const {
  std::lock_guard lock(server_->mutex);
  const auto found = server_->by_status.find(status);
  return found == server_->by_status.end() ? 0 : found->second;
}

}  // namespace leadline::testing
