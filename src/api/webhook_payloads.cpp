#include "api/webhook_payloads.h"

#include <nlohmann/json.hpp>

namespace leadline::api {
namespace {

using nlohmann::json;

bool StartsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Data Center names a repository by its project key and slug.
std::string DataCenterLocation(const json& repository) {
  if (!repository.is_object()) return "";
  const json project = repository.value("project", json::object());
  if (!project.is_object() || !project.contains("key") || !project["key"].is_string() ||
      !repository.contains("slug") || !repository["slug"].is_string()) {
    return "";
  }
  return project["key"].get<std::string>() + "/" + repository["slug"].get<std::string>();
}

}  // namespace

bool IsUsedEvent(const std::string& event_key) {
  return event_key == "repo:push" || StartsWith(event_key, "pullrequest:") ||
         StartsWith(event_key, "repo:commit_status_") || event_key == "repo:refs_changed" ||
         StartsWith(event_key, "pr:");
}

std::string RepositoryOf(const std::string& event_key, const json& body) {
  if (!body.is_object()) return "";
  if (event_key == "repo:refs_changed") return DataCenterLocation(body.value("repository", json()));
  if (StartsWith(event_key, "pr:")) {
    const json pull_request = body.value("pullRequest", json::object());
    if (!pull_request.is_object()) return "";
    const json to_ref = pull_request.value("toRef", json::object());
    return to_ref.is_object() ? DataCenterLocation(to_ref.value("repository", json())) : "";
  }
  const auto repository = body.find("repository");
  if (repository == body.end() || !repository->is_object()) return "";
  const auto full_name = repository->find("full_name");
  return full_name != repository->end() && full_name->is_string() ? full_name->get<std::string>()
                                                                  : "";
}

}  // namespace leadline::api
