// Webhook management, as each edition offers it:
//  - Cloud: GET|POST /2.0/repositories/{ws}/{slug}/hooks (needs read:webhook / write:webhook
//    scopes; POST answers 201 with the hook's braced `uuid`), PUT|DELETE .../hooks/{uuid};
//  - Data Center: GET|POST /rest/api/1.0/projects/{KEY}/repos/{slug}/webhooks (POST answers 200
//    with a numeric `id`; the secret is in `configuration.secret`), PUT|DELETE .../webhooks/{id}.
// The registered hooks are kept for tests to read (BitbucketDouble::hooks).
#include "double_state.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

bool KnownSlug(const DoubleState& state, const std::string& slug) {
  for (int i = 1; i <= state.visible_repositories(); ++i) {
    if (slug == RepoSlug(i)) return true;
  }
  return false;
}

// The hook in a request body; false (having answered 400) when it is not one.
bool ParseHook(const httplib::Request& req, httplib::Response& res, bool cloud,
               RegisteredHook& hook) {
  const json body = json::parse(req.body, nullptr, false);
  if (!body.is_object() || !body.contains("url") || !body["url"].is_string() ||
      !body.contains("events") || !body["events"].is_array() || body["events"].empty()) {
    if (cloud) {
      CloudError(res, 400, "Invalid webhook: url and events are required");
    } else {
      DcError(res, 400, "A webhook needs a URL and at least one event", nullptr);
    }
    return false;
  }
  hook.url = body["url"];
  hook.events = body["events"].get<std::vector<std::string>>();
  hook.secret =
      cloud ? body.value("secret", "") : body.value("/configuration/secret"_json_pointer, "");
  return true;
}

json CloudHookJson(const RegisteredHook& hook) {
  return {{"type", "webhook_subscription"},
          {"uuid", hook.id},
          {"url", hook.url},
          {"description", "Leadline"},
          {"subject_type", "repository"},
          {"active", true},
          {"events", hook.events},
          {"secret_set", !hook.secret.empty()}};
}

json DcHookJson(const RegisteredHook& hook) {
  return {{"id", std::stoi(hook.id)},
          {"name", "Leadline"},
          {"url", hook.url},
          {"active", true},
          {"events", hook.events},
          {"scopeType", "repository"},
          {"createdDate", 1767225600000},
          {"configuration", json::object()}};  // the secret is never shown
}

void RegisterCloudHooks(httplib::Server& http, DoubleState& state) {
  const BitbucketDoubleConfig& c = state.config();
  const std::string hooks = R"(/2\.0/repositories/([^/]+)/([^/]+)/hooks)";
  // Answers 401/403/404 and returns "" unless the request may manage the repository's hooks.
  const auto location = [&state, &c](const httplib::Request& req, httplib::Response& res,
                                     const std::string& scope) -> std::string {
    if (!CloudAllowed(c, req, res, scope)) return "";
    if (req.matches[1] != c.workspace || !KnownSlug(state, req.matches[2])) {
      CloudError(res, 404,
                 "Repository " + std::string(req.matches[1]) + "/" + std::string(req.matches[2]) +
                     " not found");
      return "";
    }
    return std::string(req.matches[1]) + "/" + std::string(req.matches[2]);
  };
  http.Get(hooks, [&state, location](const httplib::Request& req, httplib::Response& res) {
    const std::string repo = location(req, res, "read:webhook:bitbucket");
    if (repo.empty()) return;
    json values = json::array();
    for (const RegisteredHook& hook : state.Hooks(repo)) values.push_back(CloudHookJson(hook));
    SendJson(res, 200,
             {{"pagelen", 100}, {"page", 1}, {"size", values.size()}, {"values", values}});
  });
  http.Post(hooks, [&state, location](const httplib::Request& req, httplib::Response& res) {
    const std::string repo = location(req, res, "write:webhook:bitbucket");
    RegisteredHook hook;
    if (repo.empty() || !ParseHook(req, res, true, hook)) return;
    hook = state.AddHook(repo, hook, [](int n) {
      return "{00000000-0000-4000-8000-" + std::string(12 - std::to_string(n).size(), '0') +
             std::to_string(n) + "}";
    });
    SendJson(res, 201, CloudHookJson(hook));
  });
  http.Put(hooks + "/([^/]+)",
           [&state, location](const httplib::Request& req, httplib::Response& res) {
             const std::string repo = location(req, res, "write:webhook:bitbucket");
             RegisteredHook hook;
             if (repo.empty() || !ParseHook(req, res, true, hook)) return;
             hook.id = req.matches[3];
             if (!state.UpdateHook(repo, hook)) return CloudError(res, 404, "Webhook not found");
             SendJson(res, 200, CloudHookJson(hook));
           });
  http.Delete(hooks + "/([^/]+)",
              [&state, location](const httplib::Request& req, httplib::Response& res) {
                const std::string repo = location(req, res, "write:webhook:bitbucket");
                if (repo.empty()) return;
                if (!state.RemoveHook(repo, req.matches[3]))
                  return CloudError(res, 404, "Webhook not found");
                res.status = 204;
              });
}

void RegisterDataCenterHooks(httplib::Server& http, DoubleState& state) {
  const BitbucketDoubleConfig& c = state.config();
  const std::string hooks =
      c.dc_context_path + "/rest/api/1.0/projects/([^/]+)/repos/([^/]+)/webhooks";
  const auto location = [&state, &c](const httplib::Request& req,
                                     httplib::Response& res) -> std::string {
    if (!DcAuthorized(c, req, res)) return "";
    if (req.matches[1] != "PROJ" || !KnownSlug(state, req.matches[2])) {
      DcError(res, 404,
              "Repository " + std::string(req.matches[1]) + "/" + std::string(req.matches[2]) +
                  " does not exist.",
              "com.atlassian.bitbucket.repository.NoSuchRepositoryException");
      return "";
    }
    return std::string(req.matches[1]) + "/" + std::string(req.matches[2]);
  };
  http.Get(hooks, [&state, location](const httplib::Request& req, httplib::Response& res) {
    const std::string repo = location(req, res);
    if (repo.empty()) return;
    json values = json::array();
    for (const RegisteredHook& hook : state.Hooks(repo)) values.push_back(DcHookJson(hook));
    SendJson(res, 200,
             {{"size", values.size()},
              {"limit", 25},
              {"start", 0},
              {"isLastPage", true},
              {"values", values}});
  });
  http.Post(hooks, [&state, location](const httplib::Request& req, httplib::Response& res) {
    const std::string repo = location(req, res);
    RegisteredHook hook;
    if (repo.empty() || !ParseHook(req, res, false, hook)) return;
    SendJson(res, 200,
             DcHookJson(state.AddHook(repo, hook, [](int n) { return std::to_string(n); })));
  });
  http.Put(hooks + R"(/(\d+))",
           [&state, location](const httplib::Request& req, httplib::Response& res) {
             const std::string repo = location(req, res);
             RegisteredHook hook;
             if (repo.empty() || !ParseHook(req, res, false, hook)) return;
             hook.id = req.matches[3];
             if (!state.UpdateHook(repo, hook))
               return DcError(res, 404, "No such webhook", nullptr);
             SendJson(res, 200, DcHookJson(hook));
           });
  http.Delete(hooks + R"(/(\d+))",
              [&state, location](const httplib::Request& req, httplib::Response& res) {
                const std::string repo = location(req, res);
                if (repo.empty()) return;
                if (!state.RemoveHook(repo, req.matches[3])) {
                  return DcError(res, 404, "No such webhook", nullptr);
                }
                res.status = 204;
              });
}

}  // namespace

void RegisterHookRoutes(httplib::Server& http, DoubleState& state) {
  RegisterCloudHooks(http, state);
  RegisterDataCenterHooks(http, state);
}

}  // namespace leadline::testing
