#include "pagerduty_double.h"

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

constexpr char kAccept[] = "application/vnd.pagerduty+json;version=2";
constexpr std::int64_t kSixMonths = 183 * 86400;  // PagerDuty's "6 months", at its longest

void Error(httplib::Response& res, int status, const std::string& message, int code,
           std::vector<std::string> errors = {}) {
  res.status = status;
  json error = {{"message", message}, {"code", code}};
  if (!errors.empty()) error["errors"] = errors;
  res.set_content(json{{"error", error}}.dump(), "application/json");
}

std::string Reference(const std::string& kind, const std::string& id) {
  return "https://api.pagerduty.com/" + kind + "/" + id;
}

// An integer query parameter; `fallback` when absent, nullopt when not a number.
std::optional<std::int64_t> IntParam(const httplib::Request& req, const char* name,
                                     std::int64_t fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(text);
}

}  // namespace

struct PagerDutyDouble::Server {
  explicit Server(PagerDutyDoubleConfig c) : config(std::move(c)) {}
  PagerDutyDoubleConfig config;
  httplib::Server http;
  mutable std::mutex mutex;
  std::map<std::string, int> by_path;
  std::map<int, int> by_status;
  std::map<int, std::int64_t> resolved;    // incidents resolved by Resolve(): index -> when
  std::vector<std::string> change_events;  // accepted, as sent
};

void PagerDutyDouble::FailChangeEvents(int status, int count) {
  change_event_failure_status_ = status;
  change_event_failures_ = count;
}

std::vector<std::string> PagerDutyDouble::change_events() const {
  std::lock_guard lock(server_->mutex);
  return server_->change_events;
}

void PagerDutyDouble::Resolve(int index, std::int64_t at) {
  std::lock_guard lock(server_->mutex);
  server_->resolved[index] = at;
}

PagerDutyDouble::Incident PagerDutyDouble::IncidentAt(int index) const {
  const PagerDutyDoubleConfig& config = server_->config;
  Incident incident;
  char id[16];
  std::snprintf(id, sizeof(id), "PI%06d", index);
  incident.id = id;
  incident.service_id =
      config.services[static_cast<std::size_t>(index) % config.services.size()].id;
  if (!config.priorities.empty()) {
    incident.priority =
        config.priorities[static_cast<std::size_t>(index) % config.priorities.size()];
  }
  incident.urgency = index % 2 == 0 ? "high" : "low";
  incident.test = config.test_every > 0 && (index + 1) % config.test_every == 0;
  incident.title =
      (incident.test ? "[TEST] paging check " : "Errors rise on ") + std::to_string(index);
  incident.created_at = config.first_incident_at + index * config.pace_seconds;
  // The newest two are open: one acknowledged, one triggered.
  if (index == config.incidents - 1) {
    incident.status = "triggered";
  } else if (index == config.incidents - 2) {
    incident.status = "acknowledged";
  } else {
    incident.status = "resolved";
    incident.resolved_at = incident.created_at + 1800 + (index % 4) * 600;
  }
  std::lock_guard lock(server_->mutex);
  if (const auto resolved = server_->resolved.find(index); resolved != server_->resolved.end()) {
    incident.status = "resolved";
    incident.resolved_at = resolved->second;
  }
  return incident;
}

PagerDutyDouble::PagerDutyDouble(PagerDutyDoubleConfig config)
    : server_(std::make_unique<Server>(std::move(config))) {
  httplib::Server& http = server_->http;
  http.set_tcp_nodelay(true);

  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    ++requests_;
    {
      std::lock_guard lock(server_->mutex);
      ++server_->by_path[req.path];
    }
    if (const int latency = latency_ms_.load(); latency > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(latency));
    }
    // The Events API: no Authorization, its own answers.
    if (req.path == "/v2/change/enqueue") return httplib::Server::HandlerResponse::Unhandled;
    if (req.get_header_value("Accept") != kAccept) ++wrong_accept_;
    const std::string authorization = req.get_header_value("Authorization");
    const PagerDutyDoubleConfig& c = server_->config;
    if (authorization != "Token token=" + c.user_key &&
        authorization != "Token token=" + c.account_key) {
      Error(res, 401, "Unauthorized", 2006);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (fail_count_.load() > 0 && pass_before_failing_.fetch_sub(1) <= 0 &&
        fail_count_.fetch_sub(1) > 0) {
      res.set_header("ratelimit-limit", "960");
      res.set_header("ratelimit-remaining", "0");
      res.set_header("ratelimit-reset", std::to_string(c.retry_after_seconds));
      res.set_header("Retry-After", std::to_string(c.retry_after_seconds));
      Error(res, 429, "Rate Limit Exceeded", 2020);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(server_->mutex);
    ++server_->by_status[res.status];
  });

  http.Get("/users/me", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "Token token=" + server_->config.user_key) {
      Error(res, 400,
            "This endpoint can only be used with a user-level API key or a key generated "
            "through an OAuth flow",
            2001);
      return;
    }
    res.set_content(json{{"user",
                          {{"id", "PXPGF42"},
                           {"type", "user"},
                           {"summary", "Earline Greenholt"},
                           {"name", "Earline Greenholt"},
                           {"email", "earline@example.com"},
                           {"role", "admin"}}}}
                        .dump(),
                    "application/json");
  });

  http.Get("/priorities", [this](const httplib::Request&, httplib::Response& res) {
    json priorities = json::array();
    for (const std::string& name : server_->config.priorities) {
      priorities.push_back({{"id", "PPRI" + name},
                            {"type", "priority"},
                            {"summary", name},
                            {"name", name},
                            {"self", Reference("priorities", "PPRI" + name)}});
    }
    res.set_content(json{{"priorities", priorities},
                         {"limit", 100},
                         {"offset", 0},
                         {"more", false},
                         {"total", nullptr}}
                        .dump(),
                    "application/json");
  });

  http.Get("/services", [this](const httplib::Request& req, httplib::Response& res) {
    const auto limit = IntParam(req, "limit", 25);
    const auto offset = IntParam(req, "offset", 0);
    if (!limit || !offset) return Error(res, 400, "Invalid Input Provided", 2001);
    const std::vector<PagerDutyService>& all = server_->config.services;
    const std::int64_t page = std::min<std::int64_t>(std::max<std::int64_t>(*limit, 1), 100);
    json services = json::array();
    for (std::int64_t i = *offset; i < static_cast<std::int64_t>(all.size()) && i < *offset + page;
         ++i) {
      const PagerDutyService& s = all[static_cast<std::size_t>(i)];
      services.push_back({{"id", s.id},
                          {"type", "service"},
                          {"summary", s.name},
                          {"name", s.name},
                          {"self", Reference("services", s.id)},
                          {"status", "active"}});
    }
    json body = {{"services", services},
                 {"limit", page},
                 {"offset", *offset},
                 {"more", *offset + page < static_cast<std::int64_t>(all.size())},
                 {"total", nullptr}};
    if (req.get_param_value("total") == "true") body["total"] = all.size();
    res.set_content(body.dump(), "application/json");
  });

  http.Get("/incidents", [this](const httplib::Request& req, httplib::Response& res) {
    const auto limit = IntParam(req, "limit", 25);
    const auto offset = IntParam(req, "offset", 0);
    if (!limit || !offset) return Error(res, 400, "Invalid Input Provided", 2001);
    const std::int64_t page = std::min<std::int64_t>(std::max<std::int64_t>(*limit, 1), 100);
    if (*offset + page > 10000) {
      return Error(res, 400, "Invalid Input Provided", 2001,
                   {"Offset must be less than 10000 minus limit."});
    }
    std::int64_t until = common::NowUnixSeconds();
    std::int64_t since = until - 30 * 86400;
    if (req.has_param("since") || req.has_param("until")) {
      auto parsed_since = common::ParseRfc3339(req.get_param_value("since"));
      auto parsed_until = common::ParseRfc3339(req.get_param_value("until"));
      if (!parsed_since.ok() || !parsed_until.ok()) {
        return Error(res, 400, "Invalid Input Provided", 2001, {"Invalid since or until."});
      }
      since = *parsed_since;
      until = *parsed_until;
    }
    if (until < since || until - since > kSixMonths) {
      return Error(res, 400, "Invalid Input Provided", 2001,
                   {"The time range must be less than 6 months."});
    }
    if (req.has_param("sort_by") && req.get_param_value("sort_by") != "created_at:asc") {
      return Error(res, 400, "Invalid Input Provided", 2001, {"The double sorts by creation."});
    }
    const PagerDutyDoubleConfig& c = server_->config;
    // The incidents created in [since, until), by index.
    const std::int64_t first = std::max<std::int64_t>(
        0, (since - c.first_incident_at + c.pace_seconds - 1) / c.pace_seconds);
    const std::int64_t end = std::min<std::int64_t>(
        c.incidents, std::max<std::int64_t>(
                         0, (until - c.first_incident_at + c.pace_seconds - 1) / c.pace_seconds));
    json incidents = json::array();
    for (std::int64_t i = first + *offset; i < end && i < first + *offset + page; ++i) {
      const Incident incident = IncidentAt(static_cast<int>(i));
      json item = {{"id", incident.id},
                   {"type", "incident"},
                   {"summary", "[#" + std::to_string(i + 1) + "] " + incident.title},
                   {"self", Reference("incidents", incident.id)},
                   {"html_url", "https://acme.pagerduty.com/incidents/" + incident.id},
                   {"incident_number", i + 1},
                   {"title", incident.title},
                   {"created_at", common::FormatRfc3339(incident.created_at)},
                   {"status", incident.status},
                   {"incident_key", "key-" + std::to_string(i)},
                   {"service",
                    {{"id", incident.service_id},
                     {"type", "service_reference"},
                     {"self", Reference("services", incident.service_id)}}},
                   {"assignments", json::array()},
                   {"acknowledgements", json::array()},
                   {"urgency", incident.urgency},
                   {"resolved_at", nullptr},
                   {"priority", nullptr}};
      if (incident.resolved_at != 0) {
        item["resolved_at"] = common::FormatRfc3339(incident.resolved_at);
        item["last_status_change_at"] = item["resolved_at"];
      }
      if (incident.status == "acknowledged") {
        item["acknowledgements"].push_back(
            {{"at", common::FormatRfc3339(incident.created_at + 300)},
             {"acknowledger", {{"id", "PXPGF42"}, {"type", "user_reference"}}}});
      }
      if (!incident.priority.empty()) {
        item["priority"] = {{"id", "PPRI" + incident.priority},
                            {"type", "priority_reference"},
                            {"summary", incident.priority},
                            {"self", Reference("priorities", "PPRI" + incident.priority)}};
      }
      incidents.push_back(std::move(item));
    }
    const bool more = first + *offset + page < end;
    res.set_content(json{{"incidents", incidents},
                         {"limit", page},
                         {"offset", *offset},
                         {"more", more},
                         {"total", nullptr}}
                        .dump(),
                    "application/json");
  });

  // Events API v2's change events: the checks of PagerDuty's documentation on what it requires.
  http.Post("/v2/change/enqueue", [this](const httplib::Request& req, httplib::Response& res) {
    const auto answer = [&res](int status, const json& body) {
      res.status = status;
      res.set_content(body.dump(), "application/json");
    };
    if (change_event_failures_.load() > 0 && change_event_failures_.fetch_sub(1) > 0) {
      const int status = change_event_failure_status_.load();
      if (status == 429) {
        res.set_header("Retry-After", std::to_string(server_->config.retry_after_seconds));
        return answer(429, {{"status", "throttle event"},
                            {"message", "Requests for this service are arriving too quickly."}});
      }
      if (status == 400) {
        return answer(400, {{"status", "invalid event"},
                            {"message", "Event object is invalid"},
                            {"errors", {"'payload.summary' is too long"}}});
      }
      return answer(status, {{"status", "unavailable"}, {"message", "Try again later"}});
    }
    const json event = json::parse(req.body, nullptr, false);
    std::vector<std::string> errors;
    if (!event.is_object()) {
      errors.push_back("the body is not a JSON object");
    } else {
      if (!event.contains("routing_key") || !event["routing_key"].is_string() ||
          event["routing_key"].get<std::string>().size() != 32) {
        errors.push_back("'routing_key' is missing or blank");
      }
      const json payload = event.value("payload", json());
      if (!payload.is_object() || !payload.contains("summary") || !payload["summary"].is_string() ||
          payload["summary"].get<std::string>().empty() ||
          payload["summary"].get<std::string>().size() > 1024) {
        errors.push_back("'payload.summary' is missing, blank or too long");
      }
    }
    if (!errors.empty()) {
      return answer(400, {{"status", "invalid event"},
                          {"message", "Event object is invalid"},
                          {"errors", errors}});
    }
    {
      std::lock_guard lock(server_->mutex);
      server_->change_events.push_back(req.body);
    }
    answer(202, {{"status", "success"}, {"message", "Change event processed"}});
  });

  // The defined fields, with a value per incident where `value_of` gives one.
  const auto custom_fields = [this](const std::string& type, auto value_of) {
    const PagerDutyDoubleConfig& c = server_->config;
    json fields = json::array();
    fields.push_back({{"id", "PCFENV"},
                      {"type", type},
                      {"name", "environment"},
                      {"display_name", "Environment"},
                      {"data_type", "string"},
                      {"field_type", "single_value_fixed"}});
    value_of(fields.back(), "production");
    if (c.defines_deployment_field) {
      fields.push_back({{"id", "PCFDEP"},
                        {"type", type},
                        {"name", "deployment"},
                        {"display_name", "Deployment"},
                        {"data_type", "string"},
                        {"field_type", "single_value"}});
      value_of(fields.back(), "");
    }
    return fields;
  };
  http.Get("/incidents/custom_fields",
           [custom_fields](const httplib::Request&, httplib::Response& res) {
             const json fields = custom_fields("field", [](json&, const std::string&) {});
             res.set_content(json{{"fields", fields}}.dump(), "application/json");
           });
  http.Get(R"(/incidents/PI(\d{6})/custom_fields/values)",
           [this, custom_fields](const httplib::Request& req, httplib::Response& res) {
             const PagerDutyDoubleConfig& c = server_->config;
             const int index = std::stoi(req.matches[1].str());
             if (index >= c.incidents) return Error(res, 404, "Not Found", 2100);
             const auto given = c.deployment_fields.find(index);
             const json fields =
                 custom_fields("field_value", [&](json& field, const std::string& fixed) {
                   field["value"] = nullptr;
                   if (!fixed.empty()) {
                     field["value"] = fixed;
                   } else if (given != c.deployment_fields.end()) {
                     field["value"] = given->second;
                   }
                 });
             res.set_content(json{{"custom_fields", fields}}.dump(), "application/json");
           });

  // Change correlation: the events given for the incident, at most `limit` (PagerDuty's 25
  // where not given), in the listing's envelope with nulls as the spec's example has them.
  http.Get(R"(/incidents/PI(\d{6})/related_change_events)",
           [this](const httplib::Request& req, httplib::Response& res) {
             const PagerDutyDoubleConfig& c = server_->config;
             const int index = std::stoi(req.matches[1].str());
             if (index >= c.incidents) return Error(res, 404, "Not Found", 2100);
             if (c.related_change_events_status != 0) {
               return Error(res, c.related_change_events_status,
                            c.related_change_events_status == 403 ? "Forbidden" : "Not Found",
                            c.related_change_events_status == 403 ? 2010 : 2100);
             }
             const auto limit = IntParam(req, "limit", 25);
             if (!limit || *limit < 1 || *limit > 100) {
               return Error(res, 400, "Invalid Input Provided", 2001);
             }
             json events = json::array();
             if (const auto given = c.related_change_events.find(index);
                 given != c.related_change_events.end()) {
               for (const std::string& text : given->second) {
                 if (static_cast<std::int64_t>(events.size()) == *limit) break;
                 json event = json::parse(text);
                 event.emplace("type", "change_event");
                 event.emplace("correlation_reason", json{{"reason", "most_recent"}});
                 events.push_back(std::move(event));
               }
             }
             res.set_content(json{{"change_events", events},
                                  {"limit", nullptr},
                                  {"offset", nullptr},
                                  {"total", nullptr},
                                  {"more", false}}
                                 .dump(),
                             "application/json");
           });

  port_ = server_->config.port == 0
              ? http.bind_to_any_port("127.0.0.1")
              : (http.bind_to_port("127.0.0.1", server_->config.port) ? server_->config.port : -1);
  if (port_ <= 0) throw std::runtime_error("the PagerDuty double cannot listen");
  thread_ = std::thread([this] { server_->http.listen_after_bind(); });
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

PagerDutyDouble::~PagerDutyDouble() {
  server_->http.stop();
  thread_.join();
}

std::string PagerDutyDouble::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void PagerDutyDouble::FailNext(int count, int pass_first) {
  pass_before_failing_ = pass_first;
  fail_count_ = count;
}

void PagerDutyDouble::SetLatency(std::chrono::milliseconds latency) {
  latency_ms_ = static_cast<int>(latency.count());
}

int PagerDutyDouble::custom_field_requests() const {
  std::lock_guard lock(server_->mutex);
  int sum = 0;
  for (const auto& [path, count] : server_->by_path) {
    if (path.ends_with("/custom_fields/values")) sum += count;  // not the definitions' listing
  }
  return sum;
}

int PagerDutyDouble::change_event_requests() const {
  std::lock_guard lock(server_->mutex);
  int sum = 0;
  for (const auto& [path, count] : server_->by_path) {
    if (path.ends_with("/related_change_events")) sum += count;
  }
  return sum;
}

std::map<std::string, int> PagerDutyDouble::requests_by_path() const {
  std::lock_guard lock(server_->mutex);
  return server_->by_path;
}

int PagerDutyDouble::answered(int status) const {
  std::lock_guard lock(server_->mutex);
  const auto found = server_->by_status.find(status);
  return found == server_->by_status.end() ? 0 : found->second;
}

}  // namespace leadline::testing
