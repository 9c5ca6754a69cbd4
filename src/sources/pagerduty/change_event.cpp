#include "sources/pagerduty/change_event.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace leadline::sources::pagerduty {
namespace {

using common::Status;
using nlohmann::json;

constexpr std::size_t kShortSha = 7;
constexpr std::size_t kMostErrorBytes = 500;

// At most `most` bytes, cut at a UTF-8 character's start.
std::string Cut(const std::string& text, std::size_t most) {
  if (text.size() <= most) return text;
  std::size_t end = most;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// What an answer that is not 2xx says: Events API v2's {"message", "errors": [...]}, with the
// routing key taken out should the answer echo it.
std::string Said(const http::HttpResponse& response, const std::string& routing_key) {
  std::string said;
  const json body = json::parse(response.body, nullptr, false);
  if (body.is_object()) {
    if (body.contains("message") && body["message"].is_string()) {
      said = body["message"].get<std::string>();
    }
    if (body.contains("errors") && body["errors"].is_array()) {
      for (const json& error : body["errors"]) {
        if (error.is_string()) said += (said.empty() ? "" : "; ") + error.get<std::string>();
      }
    }
  }
  for (std::size_t at = said.find(routing_key); !routing_key.empty() && at != std::string::npos;
       at = said.find(routing_key)) {
    said.replace(at, routing_key.size(), "(the routing key)");
  }
  return Cut(said, kMostErrorBytes);
}

}  // namespace

std::string ChangeSummary(const DeploymentChange& change) {
  const std::string commit = change.sha.substr(0, kShortSha);
  const std::string what = change.repository + " " +
                           (change.ref.empty() ? commit : change.ref + " (" + commit + ")") +
                           " to " + change.environment;
  return Cut(change.succeeded ? "Deployed " + what : "Deployment of " + what + " failed",
             kMostSummaryBytes);
}

std::string ChangeEventBody(const DeploymentChange& change) {
  json event = {{"payload",
                 {{"summary", ChangeSummary(change)},
                  {"timestamp", common::FormatRfc3339(change.finished_at)},
                  {"source", "leadline"},
                  {"custom_details",
                   {{"repository", change.repository},
                    {"environment", change.environment},
                    {"ref", change.ref},
                    {"commit", change.sha},
                    {"status", change.succeeded ? "success" : "failed"},
                    {"leadline_deployment", change.deployment_key}}}}}};
  if (!change.link.empty()) {
    event["links"] =
        json::array({{{"href", change.link}, {"text", "Leadline: " + change.repository}}});
  }
  return event.dump();
}

Status CheckRoutingKey(const std::string& routing_key) {
  const bool alphanumeric = std::all_of(routing_key.begin(), routing_key.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
  if (routing_key.size() == 32 && alphanumeric) return Status::Ok();
  return Status::InvalidArgument(
      "the routing key file does not hold a routing key (32 letters and digits): give the "
      "Integration Key of an Events API v2 integration on the service (the service's "
      "Integrations tab in PagerDuty)");
}

Status SendChangeEvent(http::HttpClient& client, const std::string& events_url,
                       const std::string& routing_key, const std::string& body) {
  json event = json::parse(body, nullptr, false);
  if (!event.is_object()) return Status::InvalidArgument("a stored change event is not JSON");
  event["routing_key"] = routing_key;
  http::HttpRequest request;
  request.method = "POST";
  request.url = events_url + "/v2/change/enqueue";
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  request.body = event.dump();
  auto response = client.Send(request);
  if (!response.ok()) {
    return Status::Unavailable("PagerDuty's Events API at " + http::RedactUrl(events_url) +
                               " did not answer: " + response.status().message());
  }
  if (response->ok()) return Status::Ok();
  const std::string said = Said(*response, routing_key);
  const std::string what = "PagerDuty answered " + std::to_string(response->status) + " at " +
                           http::RedactUrl(request.url) + (said.empty() ? "" : " (" + said + ")");
  if (response->status == 429 || response->status >= 500) {
    return Status::Unavailable(what + ": tried again later");
  }
  if (response->status == 400) {
    return Status::InvalidArgument(what + ": PagerDuty will not take this event");
  }
  return Status::InvalidArgument(
      what + ": check the events URL and the routing key (`leadline services send-changes`)");
}

}  // namespace leadline::sources::pagerduty
