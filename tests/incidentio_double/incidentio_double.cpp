#include "incidentio_double.h"

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

void Error(httplib::Response& res, int status, const std::string& type,
           const std::string& message) {
  res.status = status;
  res.set_content(json{{"type", type},
                       {"status", status},
                       {"request_id", "req-double"},
                       {"errors", json::array({{{"code", type}, {"message", message}}})}}
                      .dump(),
                  "application/json");
}

json Timestamp(const std::string& id, const std::string& name, int rank, std::int64_t at) {
  json value = {{"incident_timestamp", {{"id", id}, {"name", name}, {"rank", rank}}}};
  if (at != 0) value["value"] = {{"value", common::FormatRfc3339(at)}};
  return value;
}

}  // namespace

struct IncidentIoDouble::Server {
  explicit Server(IncidentIoDoubleConfig c) : config(std::move(c)) {}
  IncidentIoDoubleConfig config;
  httplib::Server http;
  mutable std::mutex mutex;
  std::map<std::string, int> by_path;
  std::map<int, int> by_status;
  std::map<int, Incident> changed;  // incidents changed by the test, by index
};

IncidentIoDouble::Incident IncidentIoDouble::IncidentAt(int index) const {
  const IncidentIoDoubleConfig& config = server_->config;
  {
    std::lock_guard lock(server_->mutex);
    if (const auto found = server_->changed.find(index); found != server_->changed.end()) {
      return found->second;
    }
  }
  Incident incident;
  char id[32];
  std::snprintf(id, sizeof(id), "01INC%06d", index);
  incident.id = id;
  incident.service_id =
      config.services[static_cast<std::size_t>(index) % config.services.size()].first;
  incident.severity = config.severities[static_cast<std::size_t>(index) % config.severities.size()];
  incident.test = config.test_every > 0 && (index + 1) % config.test_every == 0;
  incident.name =
      (incident.test ? "Test: paging check " : "Errors rise on ") + std::to_string(index);
  incident.created_at = config.first_incident_at + index * config.pace_seconds;
  incident.updated_at = incident.created_at;
  // The newest two are open.
  if (index >= config.incidents - 2) {
    incident.open = true;
  } else {
    incident.resolved_at = incident.created_at + 1800 + (index % 4) * 600;
    incident.updated_at = incident.resolved_at;
  }
  return incident;
}

void IncidentIoDouble::Resolve(int index, std::int64_t at) {
  Incident incident = IncidentAt(index);
  incident.open = false;
  incident.resolved_at = at;
  incident.updated_at = common::NowUnixSeconds();
  std::lock_guard lock(server_->mutex);
  server_->changed[index] = incident;
}

void IncidentIoDouble::Reopen(int index) {
  Incident incident = IncidentAt(index);
  incident.open = true;  // its "Resolved at" stays, as incident.io keeps it
  incident.updated_at = common::NowUnixSeconds();
  std::lock_guard lock(server_->mutex);
  server_->changed[index] = incident;
}

void IncidentIoDouble::SetSeverity(int index, const std::string& severity) {
  Incident incident = IncidentAt(index);
  incident.severity = severity;
  incident.updated_at = common::NowUnixSeconds();
  std::lock_guard lock(server_->mutex);
  server_->changed[index] = incident;
}

IncidentIoDouble::IncidentIoDouble(IncidentIoDoubleConfig config)
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
    if (req.get_header_value("Authorization") != "Bearer " + server_->config.key) {
      Error(res, 401, "authentication_error", "The API key provided is not valid");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (fail_count_.load() > 0 && fail_count_.fetch_sub(1) > 0) {
      res.set_header("Retry-After", "1");
      Error(res, 429, "rate_limit_exceeded", "Too many requests");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(server_->mutex);
    ++server_->by_status[res.status];
  });

  http.Get("/v1/identity", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(json{{"identity",
                          {{"name", "Leadline"},
                           {"roles", {"viewer", "incident_creator"}},
                           {"dashboard_url", "https://app.incident.io/acme"}}}}
                        .dump(),
                    "application/json");
  });

  http.Get("/v1/severities", [this](const httplib::Request&, httplib::Response& res) {
    const std::vector<std::string>& names = server_->config.severities;
    json severities = json::array();
    for (std::size_t i = 0; i < names.size(); ++i) {
      severities.push_back({{"id", "01SEV" + std::to_string(i)},
                            {"name", names[i]},
                            {"description", names[i] + " impact"},
                            {"rank", static_cast<int>(names.size() - i)},
                            {"created_at", "2024-01-01T00:00:00Z"},
                            {"updated_at", "2024-01-01T00:00:00Z"}});
    }
    res.set_content(json{{"severities", severities}}.dump(), "application/json");
  });

  http.Get("/v2/custom_fields", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        json{{"custom_fields",
              {{{"id", "01CFIMPACT"}, {"name", "Customer impact"}, {"field_type", "text"}},
               {{"id", "01CFSVC"},
                {"name", "Affected services"},
                {"field_type", "multi_select"},
                {"catalog_type_id", "01CTSERVICE"}}}}}
            .dump(),
        "application/json");
  });

  http.Get("/v2/catalog_entries", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("catalog_type_id") != "01CTSERVICE") {
      return Error(res, 404, "not_found", "No catalog type with that id");
    }
    // Two entries a page, so that the listing's paging is followed.
    const auto& all = server_->config.services;
    std::size_t start = 0;
    if (req.has_param("after")) {
      while (start < all.size() && all[start].first != req.get_param_value("after")) ++start;
      ++start;
    }
    json entries = json::array();
    std::size_t i = start;
    for (; i < all.size() && i < start + 2; ++i) {
      entries.push_back(
          {{"id", all[i].first}, {"name", all[i].second}, {"catalog_type_id", "01CTSERVICE"}});
    }
    json meta = {{"page_size", 2}};
    if (i < all.size()) meta["after"] = all[i - 1].first;
    res.set_content(json{{"catalog_entries", entries},
                         {"catalog_type", {{"id", "01CTSERVICE"}, {"name", "Service"}}},
                         {"pagination_meta", meta}}
                        .dump(),
                    "application/json");
  });

  http.Get("/v2/incidents", [this](const httplib::Request& req, httplib::Response& res) {
    std::int64_t page_size = 25;
    if (req.has_param("page_size")) {
      const std::string text = req.get_param_value("page_size");
      if (text.empty() || text.size() > 4 ||
          text.find_first_not_of("0123456789") != std::string::npos) {
        return Error(res, 422, "validation_error", "page_size must be a number");
      }
      page_size = std::stoll(text);
    }
    if (page_size < 1 || page_size > 250) {
      return Error(res, 422, "validation_error", "page_size must be between 1 and 250");
    }
    std::int64_t updated_since = 0;
    if (req.has_param("updated_at[gte]")) {
      auto day = common::ParseRfc3339(req.get_param_value("updated_at[gte]") + "T00:00:00Z");
      if (!day.ok()) return Error(res, 422, "validation_error", "updated_at[gte] is not a date");
      updated_since = *day;
    }
    if (req.has_param("sort_by") && req.get_param_value("sort_by") != "created_at_oldest_first") {
      return Error(res, 422, "validation_error", "the double sorts by creation");
    }
    const IncidentIoDoubleConfig& c = server_->config;
    int index = 0;
    if (req.has_param("after")) {
      const std::string after = req.get_param_value("after");
      while (index < c.incidents && IncidentAt(index).id != after) ++index;
      if (index == c.incidents) return Error(res, 422, "validation_error", "unknown after");
      ++index;
    }
    json incidents = json::array();
    std::string last;
    for (; index < c.incidents && static_cast<std::int64_t>(incidents.size()) < page_size;
         ++index) {
      const Incident incident = IncidentAt(index);
      if (incident.updated_at < updated_since) continue;
      last = incident.id;
      std::size_t severity_rank = 0;
      while (severity_rank < c.severities.size() &&
             c.severities[severity_rank] != incident.severity) {
        ++severity_rank;
      }
      const bool closed = !incident.open;
      incidents.push_back(
          {{"id", incident.id},
           {"reference", "INC-" + std::to_string(index + 1)},
           {"name", incident.name},
           {"mode", incident.test ? "test" : "standard"},
           {"visibility", "public"},
           {"created_at", common::FormatRfc3339(incident.created_at)},
           {"updated_at", common::FormatRfc3339(incident.updated_at)},
           {"permalink", "https://app.incident.io/acme/incidents/" + std::to_string(index + 1)},
           {"severity",
            {{"id", "01SEV" + std::to_string(severity_rank)},
             {"name", incident.severity},
             {"rank", static_cast<int>(c.severities.size() - severity_rank)}}},
           {"incident_status",
            {{"id", closed ? "01STCLOSED" : "01STLIVE"},
             {"name", closed ? "Closed" : "Investigating"},
             {"rank", closed ? 5 : 2},
             {"category", closed ? "closed" : "live"}}},
           {"incident_timestamp_values",
            {Timestamp("01TSREP", "Reported at", 1, incident.created_at),
             Timestamp("01TSACC", "Accepted at", 2, incident.created_at + 300),
             Timestamp("01TSRES", "Resolved at", 3, incident.resolved_at)}},
           {"custom_field_entries",
            {{{"custom_field",
               {{"id", "01CFSVC"},
                {"name", "Affected services"},
                {"field_type", "multi_select"},
                {"catalog_type_id", "01CTSERVICE"}}},
              {"values", {{{"value_catalog_entry", {{"id", incident.service_id}}}}}}}}}});
    }
    // Like incident.io, the last page names no `after`.
    bool more = false;
    for (int rest = index; rest < c.incidents && !more; ++rest) {
      more = IncidentAt(rest).updated_at >= updated_since;
    }
    json meta = {{"page_size", page_size}};
    if (more && !last.empty()) meta["after"] = last;
    res.set_content(json{{"incidents", incidents}, {"pagination_meta", meta}}.dump(),
                    "application/json");
  });

  port_ = server_->config.port == 0
              ? http.bind_to_any_port("127.0.0.1")
              : (http.bind_to_port("127.0.0.1", server_->config.port) ? server_->config.port : -1);
  if (port_ <= 0) throw std::runtime_error("the incident.io double cannot listen");
  thread_ = std::thread([this] { server_->http.listen_after_bind(); });
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

IncidentIoDouble::~IncidentIoDouble() {
  server_->http.stop();
  thread_.join();
}

std::string IncidentIoDouble::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::map<std::string, int> IncidentIoDouble::requests_by_path() const {
  std::lock_guard lock(server_->mutex);
  return server_->by_path;
}

int IncidentIoDouble::answered(int status) const {
  std::lock_guard lock(server_->mutex);
  const auto found = server_->by_status.find(status);
  return found == server_->by_status.end() ? 0 : found->second;
}

}  // namespace leadline::testing
