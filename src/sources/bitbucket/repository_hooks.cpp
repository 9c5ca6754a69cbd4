#include "sources/bitbucket/repository_hooks.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "http/pager.h"

namespace leadline::sources::bitbucket {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

constexpr const char* kDescription = "Leadline";

// The collection of a repository's hooks.
std::string HooksUrl(const ConnectionSettings& settings, const std::string& location) {
  if (settings.provider == Provider::kBitbucketCloud) {
    return settings.url + "/repositories/" + location + "/hooks";
  }
  const std::size_t slash = location.find('/');
  return settings.url + "/rest/api/1.0/projects/" + location.substr(0, slash) + "/repos/" +
         location.substr(slash + 1) + "/webhooks";
}

std::string HookUrl(const ConnectionSettings& settings, const std::string& location,
                    const std::string& hook_id) {
  // Cloud's ids are uuids in braces, which a path must encode.
  return HooksUrl(settings, location) + "/" + http::EncodeQueryValue(hook_id);
}

json HookBody(Provider provider, const HookTarget& target) {
  if (provider == Provider::kBitbucketCloud) {
    return {{"description", kDescription},
            {"url", target.url},
            {"active", true},
            {"secret", target.secret},
            {"events", HookEvents(provider)}};
  }
  return {{"name", kDescription},
          {"url", target.url},
          {"active", true},
          {"events", HookEvents(provider)},
          {"configuration", {{"secret", target.secret}}}};
}

// The hook's id in a hook object: Cloud's "uuid", Data Center's numeric "id".
std::optional<std::string> HookId(Provider provider, const json& hook) {
  if (!hook.is_object()) return std::nullopt;
  if (provider == Provider::kBitbucketCloud) {
    const auto uuid = hook.find("uuid");
    if (uuid == hook.end() || !uuid->is_string()) return std::nullopt;
    return uuid->get<std::string>();
  }
  const auto id = hook.find("id");
  if (id == hook.end() || !id->is_number_integer()) return std::nullopt;
  return std::to_string(id->get<std::int64_t>());
}

http::HttpRequest Request(const ConnectionSettings& settings, std::string method, std::string url,
                          std::string body = "") {
  http::HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.credentials = settings.Credentials();
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
  }
  return request;
}

// A 403 on hooks means the credentials may read but not manage webhooks: say what they need.
Status HookError(const ConnectionSettings& settings, const http::HttpResponse& response,
                 const std::string& url, const std::string& location) {
  Status error = http::HttpError(response, url);
  if (response.status == 403) {
    return Status::PermissionDenied(
        error.message() + ". Registering the webhook on " + location + " needs " +
        (settings.provider == Provider::kBitbucketCloud
             ? "the token scopes read:webhook:bitbucket and write:webhook:bitbucket"
             : "repository admin permission for the token"));
  }
  return error.WithContext("webhook of " + location);
}

// The id of the hook already pointing at `target_url`, if any.
Result<std::optional<std::string>> FindHook(http::HttpClient& client,
                                            const ConnectionSettings& settings,
                                            const std::string& location,
                                            const std::string& target_url) {
  std::optional<std::string> found;
  http::HttpRequest list = Request(settings, "GET", HooksUrl(settings, location));
  const bool cloud = settings.provider == Provider::kBitbucketCloud;
  LEADLINE_RETURN_IF_ERROR(
      http::ForEachPage(
          client, cloud ? http::PageStyle::kBitbucketCloud : http::PageStyle::kBitbucketDataCenter,
          list,
          [&](const json& values, const std::string&) {
            for (const json& hook : values) {
              if (!hook.is_object()) continue;
              const auto url = hook.find("url");
              if (url != hook.end() && url->is_string() && *url == target_url) {
                found = HookId(settings.provider, hook);
              }
            }
            return Status::Ok();
          })
          .WithContext("the webhooks of " + location));
  return found;
}

}  // namespace

const std::vector<std::string>& HookEvents(Provider provider) {
  static const std::vector<std::string> kCloud = {"repo:push",
                                                  "repo:commit_status_created",
                                                  "repo:commit_status_updated",
                                                  "pullrequest:created",
                                                  "pullrequest:updated",
                                                  "pullrequest:approved",
                                                  "pullrequest:unapproved",
                                                  "pullrequest:changes_request_created",
                                                  "pullrequest:changes_request_removed",
                                                  "pullrequest:fulfilled",
                                                  "pullrequest:rejected",
                                                  "pullrequest:comment_created"};
  static const std::vector<std::string> kDataCenter = {"repo:refs_changed",
                                                       "pr:opened",
                                                       "pr:modified",
                                                       "pr:merged",
                                                       "pr:declined",
                                                       "pr:deleted",
                                                       "pr:reviewer:approved",
                                                       "pr:reviewer:unapproved",
                                                       "pr:reviewer:needs_work",
                                                       "pr:comment:added"};
  return provider == Provider::kBitbucketCloud ? kCloud : kDataCenter;
}

Result<std::string> RegisterHook(http::HttpClient& client, const ConnectionSettings& settings,
                                 const std::string& location, const HookTarget& target) {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::string> existing,
                            FindHook(client, settings, location, target.url));
  const std::string body = HookBody(settings.provider, target).dump();
  const http::HttpRequest request =
      existing ? Request(settings, "PUT", HookUrl(settings, location, *existing), body)
               : Request(settings, "POST", HooksUrl(settings, location), body);
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  if (!response.ok()) return HookError(settings, response, request.url, location);
  const json hook = json::parse(response.body, nullptr, false);
  const std::optional<std::string> id = HookId(settings.provider, hook);
  if (!id) {
    return Status::InvalidArgument("the answer to registering the webhook of " + location +
                                   " has no hook id (" + http::RedactUrl(request.url) + ")");
  }
  return *id;
}

Status RemoveHook(http::HttpClient& client, const ConnectionSettings& settings,
                  const std::string& location, const std::string& hook_id) {
  const http::HttpRequest request =
      Request(settings, "DELETE", HookUrl(settings, location, hook_id));
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  if (response.ok() || response.status == 404) return Status::Ok();
  return HookError(settings, response, request.url, location);
}

}  // namespace leadline::sources::bitbucket
