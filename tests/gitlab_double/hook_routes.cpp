// The GitLab double's project hooks: list, add and update (from a JSON or form body) and delete,
// kept for tests to read. Hooks need the `api` scope. The secret token is stored and never shown.
#include "common/time.h"
#include "gitlab_state.h"

namespace leadline::testing {
namespace {

const std::vector<std::string> kWriteScopes = {"api"};

nlohmann::json HookJson(const GitLabState& state, const GitLabProject& project,
                        const GitLabHook& hook) {
  return {{"id", hook.id},
          {"url", hook.url},
          {"name", nullptr},
          {"description", nullptr},
          {"project_id", project.id},
          {"push_events", hook.push_events},
          {"push_events_branch_filter", nullptr},
          {"issues_events", false},
          {"confidential_issues_events", false},
          {"merge_requests_events", hook.merge_requests_events},
          {"tag_push_events", false},
          {"note_events", hook.note_events},
          {"confidential_note_events", false},
          {"job_events", false},
          {"pipeline_events", hook.pipeline_events},
          {"wiki_page_events", false},
          {"deployment_events", hook.deployment_events},
          {"releases_events", false},
          {"enable_ssl_verification", true},
          {"alert_status", "executable"},
          {"disabled_until", nullptr},
          {"url_variables", nlohmann::json::array()},
          {"created_at", GitLabTime(state.config().history_start)}};
}

// The hook a POST describes, from its JSON body or its form or query parameters.
std::optional<GitLabHook> HookFrom(const httplib::Request& req) {
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (!body.is_object()) {
    body = nlohmann::json::object();
    for (const auto& [name, value] : req.params) body[name] = value;
  }
  auto flag = [&body](const char* name, bool fallback) {
    if (!body.contains(name)) return fallback;
    const nlohmann::json& value = body[name];
    return value.is_boolean() ? value.get<bool>() : value == "true";
  };
  if (!body.contains("url") || !body["url"].is_string()) return std::nullopt;
  GitLabHook hook;
  hook.url = body["url"];
  if (body.contains("token") && body["token"].is_string()) hook.token = body["token"];
  hook.push_events = flag("push_events", true);
  hook.merge_requests_events = flag("merge_requests_events", false);
  hook.pipeline_events = flag("pipeline_events", false);
  hook.deployment_events = flag("deployment_events", false);
  hook.note_events = flag("note_events", false);
  return hook;
}

// A hook id from a path; nullopt for one that cannot be.
std::optional<int> HookId(const std::string& id) {
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos || id.size() > 9) {
    return std::nullopt;
  }
  return std::stoi(id);
}

}  // namespace

void AddHookRoutes(ApiRoutes& routes, GitLabState& state) {
  routes["GET /projects/:id/hooks"] = {
      kWriteScopes, [&state](ApiCall& call) {
        nlohmann::json hooks = nlohmann::json::array();
        for (const GitLabHook& hook : state.Hooks(call.project.path)) {
          hooks.push_back(HookJson(state, call.project, hook));
        }
        SendGitLabJson(call.res, 200, hooks);
      }};
  routes["POST /projects/:id/hooks"] = {
      kWriteScopes, [&state](ApiCall& call) {
        const std::optional<GitLabHook> hook = HookFrom(call.req);
        if (!hook) {
          SendError(call.res, 400, "url is missing");
          return;
        }
        SendGitLabJson(call.res, 201,
                       HookJson(state, call.project, state.AddHook(call.project.path, *hook)));
      }};
  routes["PUT /projects/:id/hooks/:hook_id"] = {
      kWriteScopes, [&state](ApiCall& call) {
        const std::optional<int> id = HookId(call.ids.at(1));
        const std::optional<GitLabHook> hook = HookFrom(call.req);
        if (!hook) {
          SendError(call.res, 400, "url is missing");
          return;
        }
        if (!id || !state.UpdateHook(call.project.path, *id, *hook)) {
          SendMessage(call.res, 404, "404 Not found");
          return;
        }
        for (const GitLabHook& updated : state.Hooks(call.project.path)) {
          if (updated.id == *id)
            SendGitLabJson(call.res, 200, HookJson(state, call.project, updated));
        }
      }};
  routes["DELETE /projects/:id/hooks/:hook_id"] = {
      kWriteScopes, [&state](ApiCall& call) {
        const std::optional<int> id = HookId(call.ids.at(1));
        if (!id || !state.RemoveHook(call.project.path, *id)) {
          SendMessage(call.res, 404, "404 Not found");
          return;
        }
        call.res.status = 204;
      }};
}

}  // namespace leadline::testing
