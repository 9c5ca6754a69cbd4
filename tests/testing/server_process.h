// Test support: `leadline serve` as a real child process on a free loopback port, for end-to-end
// tests of the server (signals, restarts, kill -9). Not thread-safe.
#pragma once

#include <sys/types.h>

#include <string>

namespace leadline::testing {

class ServerProcess {
 public:
  // Starts `leadline serve --listen 127.0.0.1:0 --store DB EXTRA` and waits until it says where it
  // listens; fails the test otherwise. Its stderr goes to `log_path`.
  ServerProcess(const std::string& db, const std::string& log_path, const std::string& extra = "");
  // Starts `leadline ARGUMENTS` (which must listen on 127.0.0.1:0) and reads its output up to the
  // line starting with `last_line`.
  ServerProcess(const std::string& arguments, const std::string& log_path,
                const std::string& last_line, bool);
  ~ServerProcess();  // SIGKILL, if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  const std::string& output() const { return output_; }  // what it printed before serving
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // Sends `signal` and waits for the exit; returns the exit code, or 128 + the signal that
  // killed it.
  int Stop(int signal);

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string output_;
};

}  // namespace leadline::testing
