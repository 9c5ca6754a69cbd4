// The GitLab double's instance-wide endpoints: /version, /user, /personal_access_tokens/self,
// /projects (offset or keyset pages), /projects/:id and /groups/:id/projects.
#include <functional>

#include "common/time.h"
#include "gitlab_state.h"

namespace leadline::testing {
namespace {

const std::vector<std::string> kReadScopes = {"api", "read_api"};
const std::vector<std::string> kUserScopes = {"api", "read_api", "read_user"};

Row ProjectRow(const GitLabShape& shape, const GitLabProject& project, bool simple) {
  nlohmann::json object = ProjectJson(shape, project, simple);
  const auto created = common::ParseRfc3339(object["created_at"].get<std::string>());
  return {std::move(object), project.id, created.value(), created.value()};
}

// Lists `rows` sorted as asked (GitLab's default: newest first), in offset or keyset pages.
void SendProjects(const GitLabState& state, const httplib::Request& req, httplib::Response& res,
                  std::vector<Row> rows) {
  const bool keyset = req.get_param_value("pagination") == "keyset";
  const std::string order_by =
      req.has_param("order_by") ? req.get_param_value("order_by") : "created_at";
  if (!SortRows(rows, req, order_by, !keyset)) {
    SendError(res, 400, "order_by does not have a valid value");
    return;
  }
  if (keyset) {
    SendKeysetPage(state, req, res, rows);
  } else {
    SendOffsetPage(state, req, res, rows);
  }
}

}  // namespace

void AddInstanceRoutes(ApiRoutes& routes, GitLabState& state) {
  routes["GET /version"] = {kUserScopes, [&state](ApiCall& call) {
                              SendGitLabJson(
                                  call.res, 200,
                                  {{"version", state.config().version},
                                   {"revision", "6d2dc3c8d2a"},
                                   {"kas",
                                    {{"enabled", false},
                                     {"externalUrl", nullptr},
                                     {"externalK8sProxyUrl", nullptr},
                                     {"version", nullptr}}},
                                   {"enterprise", state.config().version.ends_with("-ee")}});
                            }};
  routes["GET /user"] = {kUserScopes, [&state](ApiCall& call) {
                           SendGitLabJson(call.res, 200, TokenUser(state, call.token));
                         }};
  routes["GET /personal_access_tokens/self"] = {
      {}, [&state](ApiCall& call) {
        const GitLabToken& token = call.token;
        SendGitLabJson(
            call.res, 200,
            {{"id", static_cast<int>(std::hash<std::string>{}(token.value) % 100000)},
             {"name", token.name},
             {"revoked", token.revoked},
             {"created_at", GitLabTime(state.config().history_start)},
             {"description", ""},
             {"scopes", token.scopes},
             {"user_id", TokenUser(state, token)["id"]},
             {"last_used_at", GitLabTime(common::NowUnixSeconds())},
             {"active", true},
             {"expires_at", token.expires_at.empty() ? nlohmann::json(nullptr)
                                                     : nlohmann::json(token.expires_at)}});
      }};
  routes["GET /projects"] = {kReadScopes, [&state](ApiCall& call) {
                               const GitLabShape shape = state.Shape();
                               const bool simple = call.req.get_param_value("simple") == "true";
                               const std::string search = call.req.get_param_value("search");
                               std::vector<Row> rows;
                               for (const GitLabProject& project : Projects(shape)) {
                                 if (!Reaches(call.token, project.path)) continue;
                                 if (project.path.find(search) == std::string::npos) continue;
                                 rows.push_back(ProjectRow(shape, project, simple));
                               }
                               SendProjects(state, call.req, call.res, std::move(rows));
                             }};
  routes["GET /projects/:id"] = {kReadScopes, [&state](ApiCall& call) {
                                   SendGitLabJson(call.res, 200,
                                                  ProjectJson(state.Shape(), call.project, false));
                                 }};
  routes["GET /groups/:id/projects"] = {
      kReadScopes, [&state](ApiCall& call) {
        const GitLabShape shape = state.Shape();
        std::string group_path;
        for (const GitLabGroup& group : Groups(shape)) {
          if (call.ids[0] == std::to_string(group.id) || call.ids[0] == group.full_path) {
            group_path = group.full_path;
          }
        }
        const bool subgroups = call.req.get_param_value("include_subgroups") == "true";
        const bool simple = call.req.get_param_value("simple") == "true";
        std::vector<Row> rows;
        bool visible = false;  // a group none of whose projects the token reaches is hidden
        for (const GitLabProject& project : Projects(shape)) {
          const bool inside = project.namespace_path == group_path ||
                              project.namespace_path.starts_with(group_path + "/");
          if (group_path.empty() || !inside || !Reaches(call.token, project.path)) continue;
          visible = true;
          if (subgroups || project.namespace_path == group_path) {
            rows.push_back(ProjectRow(shape, project, simple));
          }
        }
        if (!visible) {
          SendMessage(call.res, 404, "404 Group Not Found");
          return;
        }
        SendProjects(state, call.req, call.res, std::move(rows));
      }};
}

}  // namespace leadline::testing
