// git's smart HTTP for every repository of the workspace, served by `git http-backend` (CGI) over
// the generated history: Cloud's `/{workspace}/{slug}.git` and Data Center's
// `{context}/scm/{project}/{slug}.git`. Credentials are checked the way each edition checks git
// over HTTPS: Cloud takes an API token with the user `x-bitbucket-api-token-auth` (or the
// account's nickname) and an access token with `x-token-auth`; Data Center takes its HTTP access
// token as a Bearer token or as the user's password. Data Center also advertises every pull
// request's `refs/pull-requests/<n>/from`; Cloud has no such refs.
#include <string>
#include <vector>

#include "double_state.h"
#include "git_double/git_backend.h"

namespace leadline::testing {
namespace {

bool CloudGitAllowed(const BitbucketDoubleConfig& c, const std::string& header) {
  for (const std::string& user : {std::string("x-bitbucket-api-token-auth"), c.nickname}) {
    if (header == "Basic " + common::Base64(user + ":" + c.api_token)) return true;
  }
  return header == "Basic " + common::Base64("x-token-auth:" + c.access_token);
}

bool DataCenterGitAllowed(const BitbucketDoubleConfig& c, const std::string& header) {
  return header == "Bearer " + c.dc_token ||
         header == "Basic " + common::Base64(c.dc_username + ":" + c.dc_token);
}

}  // namespace

void RegisterGitRoutes(httplib::Server& http, DoubleState& state) {
  const BitbucketDoubleConfig& c = state.config();
  auto known = [&state](const std::string& slug) {
    for (int i = 1; i <= state.visible_repositories(); ++i) {
      if (slug == RepoSlug(i)) return true;
    }
    return false;
  };
  const std::string service = R"(\.git(/info/refs|/git-upload-pack))";
  auto handler = [&state, known](bool cloud) {
    return [&state, known, cloud](const httplib::Request& req, httplib::Response& res) {
      const BitbucketDoubleConfig& config = state.config();
      const std::string header = req.get_header_value("Authorization");
      if (!(cloud ? CloudGitAllowed(config, header) : DataCenterGitAllowed(config, header))) {
        res.status = 401;
        res.set_header("WWW-Authenticate", cloud ? "Basic realm=\"Bitbucket.org HTTP\""
                                                 : "Basic realm=\"Atlassian Bitbucket\"");
        return;
      }
      // Data Center's clone URLs spell the project key in lower case.
      const bool owner_known = cloud ? req.matches[1] == config.workspace
                                     : (req.matches[1] == "proj" || req.matches[1] == "PROJ");
      // "moved" answers as a repository moved to another host would: a redirect to repo-1 on
      // "localhost" (the same server under another name).
      if (owner_known && req.matches[2] == "moved") {
        res.set_redirect(
            "http://localhost:" + std::to_string(state.port.load()) + "/" +
                std::string(req.matches[1]) + "/repo-1.git" + std::string(req.matches[3]) +
                (req.has_param("service") ? "?service=" + req.get_param_value("service") : ""),
            301);
        return;
      }
      if (!owner_known || !known(req.matches[2])) {
        res.status = 404;
        res.set_content("Repository not found\n", "text/plain");
        return;
      }
      // Cloud has no refs/pull-requests; Data Center keeps one per pull request.
      ServeGitBackend(state.history(RepoNumber(req.matches[2])).root(), req, res,
                      std::string("/") + GitHistory::kRepositoryName + std::string(req.matches[3]),
                      cloud ? GitHistory::HidePullRequestRefs() : std::vector<std::string>());
    };
  };
  const std::string cloud_path = "/([^/]+)/([^/]+)" + service;
  const std::string dc_path = c.dc_context_path + "/scm/([^/]+)/([^/]+)" + service;
  http.Get(cloud_path, handler(true));
  http.Post(cloud_path, handler(true));
  http.Get(dc_path, handler(false));
  http.Post(dc_path, handler(false));
}

}  // namespace leadline::testing
