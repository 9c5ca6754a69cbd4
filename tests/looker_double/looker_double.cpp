#include "looker_double.h"

#include <httplib.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "common/time.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

void Error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(
      json{{"message", message}, {"documentation_url", "https://cloud.google.com/looker/docs/"}}
          .dump(),
      "application/json");
}

}  // namespace

struct LookerDouble::Server {
  explicit Server(LookerDoubleConfig c) : config(std::move(c)) {}
  LookerDoubleConfig config;
  httplib::Server http;
  mutable std::mutex mutex;
  std::set<std::string> valid_tokens;
  std::vector<std::string> issued;
  std::string expire_on_method;
  bool expire_every = false;
  std::chrono::milliseconds patch_delay{0};
  int logins = 0;
  int logouts = 0;
  std::map<int, int> by_status;
  std::map<std::string, std::vector<std::int64_t>> triggers;
  std::vector<std::string> calls;

  // Whether the call carries a valid token (under `mutex`), expiring tokens as asked first.
  bool Authorized(const httplib::Request& req) {
    if (req.method == expire_on_method) {
      valid_tokens.clear();
      expire_on_method.clear();
    }
    const std::string header = req.get_header_value("Authorization");
    return header.starts_with("token ") && valid_tokens.contains(header.substr(6));
  }
};

LookerDouble::LookerDouble(LookerDoubleConfig config)
    : server_(std::make_unique<Server>(std::move(config))) {
  httplib::Server& http = server_->http;
  Server& s = *server_;
  // Each call is recorded before its answer is written, so that a client sees it recorded.
  const auto recorded = [&s](httplib::Server::Handler handler) {
    return [&s, handler](const httplib::Request& req, httplib::Response& res) {
      handler(req, res);
      if (res.status == -1) res.status = 200;
      std::lock_guard lock(s.mutex);
      ++s.by_status[res.status];
      s.calls.push_back(req.method + " " + req.path + " " + std::to_string(res.status));
    };
  };
  http.Post(
      "/api/4.0/login", recorded([&s](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        ++s.logins;
        if (req.get_header_value("Content-Type") != "application/x-www-form-urlencoded" ||
            req.get_param_value("client_id") != s.config.client_id ||
            req.get_param_value("client_secret") != s.config.client_secret) {
          Error(res, 401, "Requires authentication.");
          return;
        }
        const std::string token = "lk-token-" + std::to_string(s.logins) + "-0a1b2c3d4e5f";
        s.issued.push_back(token);
        if (!s.expire_every) s.valid_tokens.insert(token);
        res.set_content(
            json{{"access_token", token}, {"token_type", "Bearer"}, {"expires_in", 3600}}.dump(),
            "application/json");
      }));
  http.Get(
      "/api/4.0/datagroups", recorded([&s](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(s.mutex);
        if (!s.Authorized(req)) return Error(res, 401, "Requires authentication.");
        json out = json::array();
        for (const auto& datagroup : s.config.datagroups) {
          const auto triggered = s.triggers.find(datagroup.id);
          out.push_back({{"id", datagroup.id},
                         {"model_name", datagroup.model_name},
                         {"name", datagroup.name},
                         {"created_at", 1735689600},
                         {"stale_before", nullptr},
                         {"trigger_check_at", 1735689600},
                         {"trigger_error", nullptr},
                         {"trigger_value", "2025-01-01 00:00:00"},
                         {"triggered_at", triggered == s.triggers.end() || triggered->second.empty()
                                              ? json(nullptr)
                                              : json(triggered->second.back())}});
        }
        res.set_content(out.dump(), "application/json");
      }));
  http.Patch(
      R"(/api/4\.0/datagroups/([^/]+))",
      recorded([&s](const httplib::Request& req, httplib::Response& res) {
        std::chrono::milliseconds delay;
        {
          std::lock_guard lock(s.mutex);
          delay = s.patch_delay;
        }
        std::this_thread::sleep_for(delay);
        std::lock_guard lock(s.mutex);
        if (!s.Authorized(req)) return Error(res, 401, "Requires authentication.");
        const std::string id = req.matches[1];
        bool known = false;
        for (const auto& datagroup : s.config.datagroups) known = known || datagroup.id == id;
        if (!known) return Error(res, 404, "Not found");
        const json body = json::parse(req.body, nullptr, false);
        const char* field = body.is_object() && body.contains("triggered_at")   ? "triggered_at"
                            : body.is_object() && body.contains("stale_before") ? "stale_before"
                                                                                : nullptr;
        if (field == nullptr || !body[field].is_number_integer()) {
          return Error(res, 422, "Validation Failed: triggered_at or stale_before is required");
        }
        const std::int64_t at = body[field].get<std::int64_t>();
        if (at > common::NowUnixSeconds()) {
          return Error(res, 422,
                       std::string("Validation Failed: ") + field + " cannot be in the future");
        }
        s.triggers[id].push_back(at);
        res.set_content(json{{"id", id}, {field, at}}.dump(), "application/json");
      }));
  http.Delete("/api/4.0/logout",
              recorded([&s](const httplib::Request& req, httplib::Response& res) {
                std::lock_guard lock(s.mutex);
                if (!s.Authorized(req)) return Error(res, 404, "Not found");
                s.valid_tokens.erase(req.get_header_value("Authorization").substr(6));
                ++s.logouts;
                res.status = 204;
              }));
  port_ = http.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("the Looker double cannot listen");
  thread_ = std::thread([this] { server_->http.listen_after_bind(); });
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

LookerDouble::~LookerDouble() {
  server_->http.stop();
  thread_.join();
}

std::string LookerDouble::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void LookerDouble::ExpireTokensOnNext(const std::string& method) {
  std::lock_guard lock(server_->mutex);
  server_->expire_on_method = method;
}

void LookerDouble::ExpireEveryToken(bool expire) {
  std::lock_guard lock(server_->mutex);
  server_->expire_every = expire;
  server_->valid_tokens.clear();
}

void LookerDouble::DelayTriggers(std::chrono::milliseconds delay) {
  std::lock_guard lock(server_->mutex);
  server_->patch_delay = delay;
}

int LookerDouble::logins() const {
  std::lock_guard lock(server_->mutex);
  return server_->logins;
}

int LookerDouble::logouts() const {
  std::lock_guard lock(server_->mutex);
  return server_->logouts;
}

int LookerDouble::answered(int status) const {
  std::lock_guard lock(server_->mutex);
  const auto found = server_->by_status.find(status);
  return found == server_->by_status.end() ? 0 : found->second;
}

std::map<std::string, std::vector<std::int64_t>> LookerDouble::triggers() const {
  std::lock_guard lock(server_->mutex);
  return server_->triggers;
}

std::vector<std::string> LookerDouble::calls() const {
  std::lock_guard lock(server_->mutex);
  return server_->calls;
}

std::vector<std::string> LookerDouble::tokens_issued() const {
  std::lock_guard lock(server_->mutex);
  return server_->issued;
}

}  // namespace leadline::testing
