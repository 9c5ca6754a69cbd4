#include "git_backend.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace leadline::testing {

void ServeGitBackend(const std::string& project_root, const httplib::Request& req,
                     httplib::Response& res, const std::string& path_info,
                     const std::vector<std::string>& extra_env) {
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
      "GIT_PROJECT_ROOT=" + project_root,
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
  env.insert(env.end(), extra_env.begin(), extra_env.end());
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

}  // namespace leadline::testing
