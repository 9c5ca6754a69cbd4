#include "sources/bitbucket/webhook_payloads.h"

#include "sources/contract/webhook_json.h"

namespace leadline::sources::bitbucket {
namespace {

using simdjson::dom::element;

bool StartsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Data Center names a repository by its project key and slug.
std::string DataCenterLocation(simdjson::simdjson_result<element> repository) {
  std::string_view key;
  std::string_view slug;
  if (repository["project"]["key"].get(key) != simdjson::SUCCESS ||
      repository["slug"].get(slug) != simdjson::SUCCESS) {
    return "";
  }
  return std::string(key) + "/" + std::string(slug);
}

std::string RepositoryOf(element body) {
  std::string_view full_name;
  if (body["repository"]["full_name"].get(full_name) == simdjson::SUCCESS) {
    return std::string(full_name);
  }
  std::string location = DataCenterLocation(body["repository"]);
  if (location.empty()) location = DataCenterLocation(body["pullRequest"]["toRef"]["repository"]);
  return location;
}

bool HasShape(const std::string& event_key, element body) {
  if (!body.is_object()) return false;
  if (!IsUsedEvent(event_key)) return true;
  const auto has = [](simdjson::simdjson_result<element> value) {
    return value.error() == simdjson::SUCCESS;
  };
  if (event_key == "repo:refs_changed") return has(body["repository"]["slug"]);
  if (StartsWith(event_key, "pr:")) return has(body["pullRequest"]["toRef"]);
  return body["repository"]["full_name"].is_string();
}

}  // namespace

bool IsUsedEvent(const std::string& event_key) {
  return event_key == "repo:push" || StartsWith(event_key, "pullrequest:") ||
         StartsWith(event_key, "repo:commit_status_") || event_key == "repo:refs_changed" ||
         StartsWith(event_key, "pr:");
}

WebhookPayload ReadPayload(const std::string& event_key, std::string_view body) {
  WebhookPayload payload;
  payload.is_json = ReadWebhookJson(body, [&](element document) {
    payload.has_shape = HasShape(event_key, document);
    if (document.is_object()) payload.repository = RepositoryOf(document);
  });
  return payload;
}

}  // namespace leadline::sources::bitbucket
