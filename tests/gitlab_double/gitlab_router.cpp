// The GitLab double's API router: every request under {root}/api/v4 is matched by its endpoint's
// template, built from the raw path so that a URL-encoded project path ("acme%2Fplatform%2Fapi")
// stays one segment, as it does for GitLab. The router checks the token and its scopes, and
// resolves /projects/:id (by id or path) within the token's reach, before the route runs.
#include <algorithm>

#include "gitlab_state.h"

namespace leadline::testing {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= path.size();) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::optional<GitLabProject> FindProject(const GitLabShape& shape, const std::string& id) {
  for (const GitLabProject& project : Projects(shape)) {
    if (id == std::to_string(project.id) || id == project.path) return project;
  }
  return std::nullopt;
}

}  // namespace

std::string EndpointOf(const std::string& root, const std::string& method,
                       const std::string& raw_path, std::vector<std::string>* ids) {
  const std::string api = root + "/api/v4/";
  if (raw_path.starts_with(api)) {
    std::string endpoint = method;
    std::string previous;
    for (const std::string& segment : Split(raw_path.substr(api.size()))) {
      std::string part = segment;
      if (previous == "projects" || previous == "groups") part = ":id";
      if (previous == "merge_requests") part = ":iid";
      if (previous == "hooks") part = ":hook_id";
      if (previous == "notes") part = ":note_id";
      if (part != segment && ids != nullptr) {
        ids->push_back(httplib::detail::decode_url(segment, false));
      }
      endpoint += "/" + part;
      previous = segment;
    }
    return endpoint.insert(method.size(), " ");
  }
  const std::size_t git = raw_path.find(".git/");
  if (raw_path.starts_with(root + "/") && git != std::string::npos) {
    return method + " /:project" + raw_path.substr(git);
  }
  return "";
}

void RegisterApi(httplib::Server& http, GitLabState& state, ApiRoutes routes) {
  const std::string root = state.config().relative_url_root;
  auto handler = [&state, root, routes = std::move(routes)](const httplib::Request& req,
                                                            httplib::Response& res) {
    std::vector<std::string> ids;
    const std::string endpoint =
        EndpointOf(root, req.method, req.target.substr(0, req.target.find('?')), &ids);
    const auto route = routes.find(endpoint);
    if (route == routes.end()) {
      SendError(res, 404, "404 Not Found");
      return;
    }
    std::optional<GitLabToken> token = Authorize(state, req, res, route->second.scopes);
    if (!token) return;
    ApiCall call{req, res, ids, *token, {}};
    if (endpoint.find(" /projects/:id") != std::string::npos) {
      const std::optional<GitLabProject> project = FindProject(state.Shape(), ids.at(0));
      if (!project || !Reaches(*token, project->path)) {
        SendMessage(res, 404, "404 Project Not Found");
        return;
      }
      call.project = *project;
    }
    route->second.handle(call);
  };
  const std::string pattern = root + "/api/v4/.*";
  http.Get(pattern, handler);
  http.Post(pattern, handler);
  http.Put(pattern, handler);
  http.Delete(pattern, handler);
}

}  // namespace leadline::testing
