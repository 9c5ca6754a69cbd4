#include "opsgenie_double.h"

#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/time.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

// What Leadline asks for: every incident, whatever its status.
constexpr char kExpectedQuery[] = "status:open OR status:resolved OR status:closed";

void Error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(json{{"message", message}, {"took", 0.001}, {"requestId", "req-double"}}.dump(),
                  "application/json");
}

// Opsgenie's times carry milliseconds.
std::string Time(std::int64_t at) { return common::FormatRfc3339(at).substr(0, 19) + ".000Z"; }

bool Number(const std::string& text) {
  return !text.empty() && text.size() <= 9 &&
         text.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

struct OpsgenieDouble::Server {
  explicit Server(OpsgenieDoubleConfig c) : config(std::move(c)) {}
  OpsgenieDoubleConfig config;
  httplib::Server http;
  mutable std::mutex mutex;
  std::map<std::string, int> by_path;
  std::map<int, int> by_status;
  std::map<int, Incident> changed;  // incidents changed by the test, by index
};

OpsgenieDouble::Incident OpsgenieDouble::IncidentAt(int index) const {
  const OpsgenieDoubleConfig& config = server_->config;
  {
    std::lock_guard lock(server_->mutex);
    if (const auto found = server_->changed.find(index); found != server_->changed.end()) {
      return found->second;
    }
  }
  Incident incident;
  char id[32];
  std::snprintf(id, sizeof(id), "inc-%06d", index);
  incident.id = id;
  incident.team_id = config.teams[static_cast<std::size_t>(index) % config.teams.size()].first;
  incident.priority = config.priorities[static_cast<std::size_t>(index) % config.priorities.size()];
  incident.test = config.test_every > 0 && (index + 1) % config.test_every == 0;
  incident.message = (incident.test ? "Paging drill " : "Errors rise on ") + std::to_string(index);
  incident.created_at = config.first_incident_at + index * config.pace_seconds;
  incident.open = index >= config.incidents - 2;  // the newest two are open
  incident.updated_at =
      incident.open ? incident.created_at : incident.created_at + 1800 + (index % 4) * 600;
  return incident;
}

void OpsgenieDouble::Resolve(int index) {
  Incident incident = IncidentAt(index);
  incident.open = false;
  incident.updated_at = common::NowUnixSeconds();
  std::lock_guard lock(server_->mutex);
  server_->changed[index] = incident;
}

void OpsgenieDouble::Reopen(int index) {
  Incident incident = IncidentAt(index);
  incident.open = true;
  incident.updated_at = common::NowUnixSeconds();
  std::lock_guard lock(server_->mutex);
  server_->changed[index] = incident;
}

void OpsgenieDouble::SetPriority(int index, const std::string& priority) {
  Incident incident = IncidentAt(index);
  incident.priority = priority;
  incident.updated_at = common::NowUnixSeconds();
  std::lock_guard lock(server_->mutex);
  server_->changed[index] = incident;
}

OpsgenieDouble::OpsgenieDouble(OpsgenieDoubleConfig config)
    : server_(std::make_unique<Server>(std::move(config))) {
  httplib::Server& http = server_->http;
  http.set_tcp_nodelay(true);

  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    ++requests_;
    {
      std::lock_guard lock(server_->mutex);
      ++server_->by_path[req.path];
    }
    if (const long long ms = latency_ms_.load(); ms > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
    if (req.get_header_value("Authorization") != "GenieKey " + server_->config.key) {
      Error(res, 401, "Could not authenticate");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (fail_count_.load() > 0 && fail_count_.fetch_sub(1) > 0) {
      res.set_header("X-RateLimit-State", "THROTTLED");
      res.set_header("Retry-After", "1");
      Error(res, 429,
            "You are making too many requests! To avoid errors, we recommend you "
            "limit requests.");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(server_->mutex);
    ++server_->by_status[res.status];
  });

  http.Get("/v2/account", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        json{{"data",
              {{"name", "acme"},
               {"userCount", 42},
               {"plan", {{"maxUserCount", 100}, {"name", "Standard"}, {"isYearly", true}}}}},
             {"took", 0.002},
             {"requestId", "req-account"}}
            .dump(),
        "application/json");
  });

  http.Get("/v2/teams", [this](const httplib::Request&, httplib::Response& res) {
    json data = json::array();
    for (const auto& [id, name] : server_->config.teams) {
      data.push_back({{"id", id}, {"name", name}, {"description", name + " on call"}});
    }
    res.set_content(json{{"data", data}, {"took", 0.002}, {"requestId", "req-teams"}}.dump(),
                    "application/json");
  });

  http.Get("/v1/incidents/", [this](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("query")) return Error(res, 422, "query is required");
    if (req.get_param_value("query") != kExpectedQuery) {
      return Error(res, 422, "The double answers the query Leadline sends only");
    }
    std::int64_t offset = 0;
    std::int64_t limit = 20;
    if (req.has_param("offset")) {
      if (!Number(req.get_param_value("offset"))) return Error(res, 422, "offset is invalid");
      offset = std::stoll(req.get_param_value("offset"));
    }
    if (req.has_param("limit")) {
      if (!Number(req.get_param_value("limit"))) return Error(res, 422, "limit is invalid");
      limit = std::stoll(req.get_param_value("limit"));
    }
    if (limit < 1 || limit > 100) return Error(res, 422, "limit must be between 1 and 100");
    if (req.get_param_value("sort") != "createdAt" || req.get_param_value("order") != "desc") {
      return Error(res, 422, "the double sorts by creation, newest first");
    }
    const OpsgenieDoubleConfig& c = server_->config;
    json data = json::array();
    std::int64_t at = offset;
    for (; at < c.incidents && at < offset + limit; ++at) {
      const Incident incident = IncidentAt(c.incidents - 1 - static_cast<int>(at));
      data.push_back({{"id", incident.id},
                      {"tinyId", std::to_string(c.incidents - at)},
                      {"message", incident.message},
                      {"status", incident.open ? "open" : "resolved"},
                      {"isSeen", true},
                      {"tags", incident.test ? json({"test", "drill"}) : json({"checkout"})},
                      {"createdAt", Time(incident.created_at)},
                      {"updatedAt", Time(incident.updated_at)},
                      {"source", "web"},
                      {"owner", "mia@example.com"},
                      {"priority", incident.priority},
                      {"responders", {{{"type", "team"}, {"id", incident.team_id}}}},
                      {"ownerTeam", incident.team_id},
                      {"extraProperties", json::object()}});
    }
    const std::string base = url() +
                             "/v1/incidents?query=status%3Aopen&limit=" + std::to_string(limit) +
                             "&sort=createdAt&order=desc&offset=";
    json paging = {{"first", base + "0"}};
    if (at < c.incidents) paging["next"] = base + std::to_string(at);
    if (offset > 0)
      paging["prev"] = base + std::to_string(std::max<std::int64_t>(0, offset - limit));
    res.set_content(
        json{{"data", data}, {"paging", paging}, {"took", 0.01}, {"requestId", "req-incidents"}}
            .dump(),
        "application/json");
  });

  port_ = server_->config.port == 0
              ? http.bind_to_any_port("127.0.0.1")
              : (http.bind_to_port("127.0.0.1", server_->config.port) ? server_->config.port : -1);
  if (port_ <= 0) throw std::runtime_error("the Opsgenie double cannot listen");
  thread_ = std::thread([this] { server_->http.listen_after_bind(); });
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

OpsgenieDouble::~OpsgenieDouble() {
  server_->http.stop();
  thread_.join();
}

std::string OpsgenieDouble::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::map<std::string, int> OpsgenieDouble::requests_by_path() const {
  std::lock_guard lock(server_->mutex);
  return server_->by_path;
}

int OpsgenieDouble::answered(int status) const {
  std::lock_guard lock(server_->mutex);
  const auto found = server_->by_status.find(status);
  return found == server_->by_status.end() ? 0 : found->second;
}

}  // namespace leadline::testing
