#include "testing/server_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "testing/git_script.h"

extern char** environ;

namespace leadline::testing {

ServerProcess::ServerProcess(const std::string& db, const std::string& log_path,
                             const std::string& extra)
    : ServerProcess("serve --listen 127.0.0.1:0 --store " + ShellQuote(db) + " " + extra, log_path,
                    "Dashboard:", true) {}

ServerProcess::ServerProcess(const std::string& arguments, const std::string& log_path,
                             const std::string& last_line, bool) {
  int out[2];
  if (pipe(out) != 0) {
    ADD_FAILURE() << "pipe failed";
    return;
  }
  const std::string command = "exec env -u LEADLINE_SECRET_KEY " + LeadlineBinary() + " " +
                              arguments + " 2>>" + ShellQuote(log_path);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  const int spawned =
      posix_spawn(&pid_, "/bin/sh", &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (spawned != 0) {
    ADD_FAILURE() << "cannot start " << command;
    pid_ = -1;
    close(out[0]);
    return;
  }
  // "Listening on http://127.0.0.1:PORT" first, then more lines up to `last_line`.
  FILE* stream = fdopen(out[0], "r");
  char line[512] = {};
  while (std::fgets(line, sizeof(line), stream) != nullptr) {
    output_ += line;
    if (std::string(line).starts_with(last_line)) break;
  }
  std::fclose(stream);
  if (std::sscanf(output_.c_str(), "Listening on http://127.0.0.1:%d", &port_) != 1) {
    ADD_FAILURE() << "the server did not start; its output: '" << output_ << "' (see " << log_path
                  << ")";
    Stop(SIGKILL);
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop(SIGKILL);
}

int ServerProcess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace leadline::testing
