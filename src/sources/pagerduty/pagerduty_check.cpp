#include "sources/pagerduty/pagerduty_check.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sources/pagerduty/pagerduty_http.h"

namespace leadline::sources::pagerduty {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

Result<json> GetJson(http::HttpClient& client, const ConnectionSettings& settings,
                     const std::string& path) {
  const http::HttpRequest request = ApiGet(settings, path);
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  return JsonOf(response, request.url);
}

// "Earline Greenholt <earline@example.com>" for a user key; for an account key, which
// `/users/me` refuses with a 400, "an account API key".
Result<std::string> KeyOwner(http::HttpClient& client, const ConnectionSettings& settings) {
  const http::HttpRequest request = ApiGet(settings, "/users/me");
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  if (response.status == 400) return std::string("an account API key");
  LEADLINE_ASSIGN_OR_RETURN(const json body, JsonOf(response, request.url));
  const json* user = body.contains("user") ? &body["user"] : nullptr;
  if (user == nullptr || !user->is_object() || !user->contains("name") ||
      !(*user)["name"].is_string()) {
    return Status::InvalidArgument("PagerDuty's /users/me answer names no user");
  }
  std::string owner = (*user)["name"].get<std::string>();
  if (user->contains("email") && (*user)["email"].is_string()) {
    owner += " <" + (*user)["email"].get<std::string>() + ">";
  }
  return "the user key of " + owner;
}

}  // namespace

Result<std::vector<std::string>> Priorities(http::HttpClient& client,
                                            const ConnectionSettings& settings) {
  const http::HttpRequest request = ApiGet(settings, "/priorities?limit=100");
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  // Plans without priorities answer 402; a key without the right to read them 403.
  if (response.status == 402) return std::vector<std::string>();
  LEADLINE_ASSIGN_OR_RETURN(const json body, JsonOf(response, request.url));
  std::vector<std::string> names;
  if (!body.contains("priorities") || !body["priorities"].is_array()) {
    return Status::InvalidArgument("PagerDuty's /priorities answer has no list of priorities");
  }
  for (const json& priority : body["priorities"]) {
    if (!priority.is_object()) continue;
    for (const char* key : {"name", "summary"}) {
      if (priority.contains(key) && priority[key].is_string()) {
        names.push_back(priority[key].get<std::string>());
        break;
      }
    }
  }
  return names;
}

std::vector<std::string> DefaultCountsFor(const std::vector<std::string>& priorities) {
  if (priorities.empty()) return {"high"};
  const bool has_p1 = std::find(priorities.begin(), priorities.end(), "P1") != priorities.end();
  const bool has_p2 = std::find(priorities.begin(), priorities.end(), "P2") != priorities.end();
  if (has_p1 && has_p2) return {"P1", "P2"};
  return {priorities.begin(), priorities.begin() + std::min<std::size_t>(2, priorities.size())};
}

Result<CheckReport> CheckPagerDuty(http::HttpClient& client, const ConnectionSettings& settings) {
  if (settings.secret.empty()) return Status::InvalidArgument("the PagerDuty API key is empty");
  CheckReport report;
  // The incidents first: a wrong key is told by its 401 before anything else.
  LEADLINE_ASSIGN_OR_RETURN(const json incidents, GetJson(client, settings, "/incidents?limit=1"));
  if (!incidents.contains("incidents")) {
    return Status::InvalidArgument("PagerDuty's /incidents answer has no list of incidents");
  }
  LEADLINE_ASSIGN_OR_RETURN(report.user, KeyOwner(client, settings));
  LEADLINE_ASSIGN_OR_RETURN(const json services,
                            GetJson(client, settings, "/services?limit=1&total=true"));
  if (!services.contains("total") || !services["total"].is_number_integer()) {
    return Status::InvalidArgument("PagerDuty's /services answer has no total");
  }
  report.repositories = services["total"].get<std::int64_t>();
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<std::string> priorities,
                            Priorities(client, settings));
  report.notes.push_back("reads incidents, services and priorities");
  if (priorities.empty()) {
    report.notes.push_back("no priorities: high-urgency incidents count by default");
  } else {
    std::string names;
    for (const std::string& name : priorities) names += (names.empty() ? "" : " ") + name;
    report.notes.push_back("priorities " + names);
  }
  return report;
}

}  // namespace leadline::sources::pagerduty
