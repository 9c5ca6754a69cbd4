// A program Leadline starts and stops itself (the demo's Bitbucket double): started with its
// stdout on a pipe, read line by line until it says what it is expected to say, and stopped
// (SIGTERM, then waited for) when the object goes. Single-threaded.
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace leadline::app {

class ChildProcess {
 public:
  // Starts `program` with `arguments`; its stderr is inherited.
  static common::Result<ChildProcess> Start(const std::string& program,
                                            const std::vector<std::string>& arguments);
  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;

  // Reads its stdout until `done(line)` is true for a line; Unavailable if it ends first.
  common::Status ReadUntil(const std::function<bool(const std::string& line)>& done);

 private:
  ChildProcess(pid_t pid, FILE* out) : pid_(pid), out_(out) {}
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
};

}  // namespace leadline::app
