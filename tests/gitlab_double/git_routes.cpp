// git's smart HTTP for every project, at {root}/{path_with_namespace}.git, served by
// `git http-backend` over the generated history. Credentials are checked as GitLab checks git
// over HTTPS with a token: Basic with any user name (oauth2 by custom) and an active token as the
// password, holding read_repository, write_repository or api, and reaching the project.
#include <algorithm>

#include "common/base64.h"
#include "git_double/git_backend.h"
#include "gitlab_state.h"

namespace leadline::testing {
namespace {

// The password of a Basic Authorization header, if it is one.
std::optional<std::string> BasicPassword(const std::string& header) {
  if (!header.starts_with("Basic ")) return std::nullopt;
  std::string encoded = header.substr(6);
  while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
  std::replace(encoded.begin(), encoded.end(), '+', '-');
  std::replace(encoded.begin(), encoded.end(), '/', '_');
  const std::optional<std::string> decoded = common::DecodeBase64Url(encoded);
  if (!decoded || decoded->find(':') == std::string::npos) return std::nullopt;
  return decoded->substr(decoded->find(':') + 1);
}

bool MayClone(const GitLabToken& token) {
  return TokenActive(token) &&
         std::any_of(token.scopes.begin(), token.scopes.end(), [](const std::string& scope) {
           return scope == "read_repository" || scope == "write_repository" || scope == "api";
         });
}

}  // namespace

void RegisterGitRoutes(httplib::Server& http, GitLabState& state) {
  auto handler = [&state](const httplib::Request& req, httplib::Response& res) {
    const std::optional<std::string> password =
        BasicPassword(req.get_header_value("Authorization"));
    const std::optional<GitLabToken> token = password ? state.FindToken(*password) : std::nullopt;
    if (!token || !MayClone(*token)) {
      res.status = 401;
      res.set_header("WWW-Authenticate", "Basic realm=\"GitLab\"");
      res.set_content("HTTP Basic: Access denied\n", "text/plain");
      return;
    }
    const std::string path = req.matches[1];
    const std::vector<GitLabProject> projects = Projects(state.Shape());
    if (!Reaches(*token, path) ||
        std::none_of(projects.begin(), projects.end(),
                     [&path](const GitLabProject& p) { return p.path == path; })) {
      res.status = 404;
      res.set_content(
          "The project you were looking for could not be found or you don't have permission to "
          "view it.\n",
          "text/plain");
      return;
    }
    // GitLab has no refs/pull-requests (its own refs/merge-requests are not served).
    ServeGitBackend(state.history().root(), req, res,
                    std::string("/") + GitHistory::kRepositoryName + std::string(req.matches[2]),
                    GitHistory::HidePullRequestRefs());
  };
  const std::string pattern =
      state.config().relative_url_root + R"(/(.+)\.git(/info/refs|/git-upload-pack))";
  http.Get(pattern, handler);
  http.Post(pattern, handler);
}

}  // namespace leadline::testing
