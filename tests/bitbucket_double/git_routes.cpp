// git's smart HTTP for every repository of the workspace, served by `git http-backend` (CGI) over
// the generated history: Cloud's `/{workspace}/{slug}.git` and Data Center's
// `{context}/scm/{project}/{slug}.git`. Credentials are checked the way each edition checks git
// over HTTPS: Cloud takes an API token with the user `x-bitbucket-api-token-auth` (or the
// account's nickname) and an access token with `x-token-auth`; Data Center takes its HTTP access
// token as a Bearer token or as the user's password.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "double_state.h"

extern char** environ;

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

// Runs `git http-backend` for `path_info` ("/history.git/info/refs") and copies its answer.
void ServeWithBackend(const DoubleState& state, const httplib::Request& req, httplib::Response& res,
                      const std::string& path_info) {
  // The request body goes through a file, so the backend's answer cannot block on its input.
  // cpp-httplib has already inflated a gzip body (git sends large ones so), so no
  // HTTP_CONTENT_ENCODING is passed on.
  char body_path[] = "/tmp/leadline-git-body-XXXXXX";
  const int body_fd = mkstemp(body_path);
  if (body_fd < 0 || write(body_fd, req.body.data(), req.body.size()) < 0 ||
      lseek(body_fd, 0, SEEK_SET) < 0) {
    res.status = 500;
    return;
  }
  unlink(body_path);
  int out[2];
  if (pipe(out) != 0) {
    close(body_fd);
    res.status = 500;
    return;
  }
  std::vector<std::string> env = {
      "GIT_PROJECT_ROOT=" + state.history().root(),
      "GIT_HTTP_EXPORT_ALL=1",
      "PATH_INFO=" + path_info,
      "QUERY_STRING=" + std::string(req.target.find('?') == std::string::npos
                                        ? ""
                                        : req.target.substr(req.target.find('?') + 1)),
      "REQUEST_METHOD=" + req.method,
      "CONTENT_TYPE=" + req.get_header_value("Content-Type"),
      "CONTENT_LENGTH=" + std::to_string(req.body.size()),
      "REMOTE_ADDR=127.0.0.1",
      "REMOTE_USER=double",
      "GIT_PROTOCOL=" + req.get_header_value("Git-Protocol"),
      std::string("PATH=") + (std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin")};
  std::vector<char*> envp;
  for (std::string& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, body_fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  char git[] = "git";
  char backend[] = "http-backend";
  char* argv[] = {git, backend, nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "git", &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(body_fd);
  close(out[1]);
  std::string output;
  char buffer[65536];
  for (ssize_t n; (n = read(out[0], buffer, sizeof(buffer))) > 0;) output.append(buffer, n);
  close(out[0]);
  int wait_status = 0;
  if (spawned != 0 || waitpid(pid, &wait_status, 0) < 0) {
    res.status = 500;
    return;
  }
  // CGI: headers, a blank line, the body.
  std::size_t end = output.find("\r\n\r\n");
  std::size_t skip = 4;
  if (end == std::string::npos) {
    end = output.find("\n\n");
    skip = 2;
  }
  if (end == std::string::npos) {
    res.status = 500;
    return;
  }
  res.status = 200;
  std::string content_type = "application/octet-stream";
  std::size_t line_start = 0;
  const std::string headers = output.substr(0, end);
  while (line_start < headers.size()) {
    std::size_t line_end = headers.find('\n', line_start);
    if (line_end == std::string::npos) line_end = headers.size();
    std::string line = headers.substr(line_start, line_end - line_start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      const std::string name = line.substr(0, colon);
      const std::string value = line.substr(line.find_first_not_of(' ', colon + 1));
      if (name == "Status") {
        res.status = std::atoi(value.c_str());
      } else if (name == "Content-Type") {
        content_type = value;
      } else {
        res.set_header(name, value);
      }
    }
    line_start = line_end + 1;
  }
  res.set_content(output.substr(end + skip), content_type);
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
      ServeWithBackend(
          state, req, res,
          std::string("/") + GitHistory::kRepositoryName + std::string(req.matches[3]));
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
