#include "sources/gitlab/gitlab_connector.h"

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "http/pager.h"
#include "sources/gitlab/gitlab_check.h"
#include "sources/gitlab/gitlab_feeds.h"
#include "sources/gitlab/gitlab_http.h"
#include "sources/gitlab/gitlab_parse.h"

namespace leadline::sources::gitlab {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

Result<http::HttpResponse> Send(http::HttpClient& client, const ConnectionSettings& settings,
                                std::string method, std::string url, std::string body = "") {
  return client.Send(ApiRequest(settings, std::move(method), std::move(url), std::move(body)));
}

// The events Leadline reads: pushes (branches and tags), merge requests and their notes,
// pipelines and deployments.
json HookBody(const HookTarget& target) {
  return {{"url", target.url},
          {"token", target.secret},
          {"push_events", true},
          {"tag_push_events", true},
          {"merge_requests_events", true},
          {"note_events", true},
          {"pipeline_events", true},
          {"deployment_events", true},
          {"enable_ssl_verification", true}};
}

}  // namespace

// GitLab.com allows 2,000 authenticated API requests a minute per user; self-managed instances
// have no limit unless their admins set one (answered with 429 and RateLimit headers).
int GitLabConnector::DefaultRequestsPerHour(const ConnectionSettings& settings) const {
  return common::WithoutTrailingSlashes(settings.url) == kGitLabComUrl ? 2000 * 60 : 0;
}

Result<CheckReport> GitLabConnector::Check(http::HttpClient& client,
                                           const ConnectionSettings& settings) const {
  return CheckGitLab(client, settings);
}

Result<std::vector<model::Repository>> GitLabConnector::ListRepositories(
    http::HttpClient& client, const ConnectionSettings& settings) const {
  std::vector<model::Repository> out;
  LEADLINE_RETURN_IF_ERROR(ForEachPage(
      client, settings,
      settings.url +
          "/api/v4/projects?membership=true&simple=true&pagination=keyset&order_by=id&sort=asc"
          "&per_page=100",
      "projects", [&](const json& page) -> Result<bool> {
        for (std::size_t i = 0; i < page.size(); ++i) {
          auto project = ParseProject(page[i]);
          if (!project.ok()) {
            return project.status().WithContext("project " + std::to_string(i));
          }
          out.push_back(std::move(project->repository));
        }
        return true;
      }));
  return out;
}

Feeds GitLabConnector::RepositoryFeeds(const ConnectionSettings& settings,
                                       const model::Repository& repository) const {
  return ProjectFeeds(settings, repository);
}

// Idempotent: a hook of the project already pointing at the same URL is updated, not doubled.
Result<std::string> GitLabConnector::RegisterWebhook(http::HttpClient& client,
                                                     const ConnectionSettings& settings,
                                                     const model::Repository& repository,
                                                     const HookTarget& target) const {
  const std::string hooks = ProjectApiUrl(settings, repository) + "/hooks";
  std::optional<std::string> existing;
  LEADLINE_RETURN_IF_ERROR(ForEachPage(
      client, settings, hooks + "?per_page=100", "hooks", [&](const json& page) -> Result<bool> {
        for (const json& hook : page) {
          if (hook.is_object() && hook.value("url", "") == target.url && hook.contains("id") &&
              hook["id"].is_number_integer()) {
            existing = std::to_string(hook["id"].get<std::int64_t>());
          }
        }
        return !existing;
      }));
  const std::string url = existing ? hooks + "/" + *existing : hooks;
  LEADLINE_ASSIGN_OR_RETURN(
      const http::HttpResponse response,
      Send(client, settings, existing ? "PUT" : "POST", url, HookBody(target).dump()));
  LEADLINE_ASSIGN_OR_RETURN(const json hook, JsonOf(response, url));
  if (!hook.is_object() || !hook.contains("id") || !hook["id"].is_number_integer()) {
    return Status::InvalidArgument("GitLab's answer at " + http::RedactUrl(url) +
                                   " names no hook id");
  }
  return std::to_string(hook["id"].get<std::int64_t>());
}

Status GitLabConnector::RemoveWebhook(http::HttpClient& client, const ConnectionSettings& settings,
                                      const model::Repository& repository,
                                      const std::string& hook_id) const {
  const std::string url =
      ProjectApiUrl(settings, repository) + "/hooks/" + http::EncodeQueryValue(hook_id);
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response,
                            Send(client, settings, "DELETE", url));
  if (response.ok() || response.status == 404) return Status::Ok();
  return http::HttpError(response, url);
}

}  // namespace leadline::sources::gitlab
