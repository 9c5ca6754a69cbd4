#include "app/child_process.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

extern char** environ;

namespace leadline::app {

common::Result<ChildProcess> ChildProcess::Start(const std::string& program,
                                                 const std::vector<std::string>& arguments) {
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) return common::Status::Unavailable("cannot make a pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_ends[1]);
  if (spawned != 0) {
    close(pipe_ends[0]);
    return common::Status::Unavailable("cannot start " + program + ": " + std::strerror(spawned));
  }
  return ChildProcess(pid, fdopen(pipe_ends[0], "r"));
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : pid_(other.pid_), out_(other.out_) {
  other.pid_ = -1;
  other.out_ = nullptr;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  if (out_ != nullptr) fclose(out_);
}

common::Status ChildProcess::ReadUntil(const std::function<bool(const std::string& line)>& done) {
  if (out_ == nullptr) return common::Status::Unavailable("the program's output cannot be read");
  char* line = nullptr;
  std::size_t capacity = 0;
  common::Status status = common::Status::Unavailable("the program ended before it was ready");
  while (getline(&line, &capacity, out_) >= 0) {
    std::string text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (done(text)) {
      status = common::Status::Ok();
      break;
    }
  }
  free(line);
  return status;
}

}  // namespace leadline::app
