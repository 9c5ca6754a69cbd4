// Listens for the other servers' notices on a PostgreSQL store (store/change_listener.h) and
// hands each topic to `heard` ("inbox", "data"), skipping this server's own. A lost connection
// is reported once and made again every second until it is back; notices sent meanwhile are lost,
// which the applier's look every few seconds makes good. For PostgreSQL stores (SQLite has no
// notices: serve makes none there). Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "config/paths.h"

namespace leadline::app {

class ChangeWatcher {
 public:
  ChangeWatcher(config::Paths paths, std::string owner,
                std::function<void(const std::string& topic)> heard);
  ~ChangeWatcher();  // Stop()

  void Start();
  void Stop();

 private:
  void Run();

  const config::Paths paths_;
  const std::string owner_;
  const std::function<void(const std::string&)> heard_;
  std::mutex mutex_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace leadline::app
