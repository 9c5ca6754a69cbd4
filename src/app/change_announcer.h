// Tells the other servers on a PostgreSQL store that something happened here ("inbox": a webhook
// delivery was stored; "data": new data landed), through store::Coordination::Announce on a
// connection of its own. Announce() only notes the topic and returns: a background thread sends
// the noted topics, each once however often it was noted meanwhile, and then waits 100 ms before
// the next round, so a burst of deliveries costs a notice or two, not one per request, and
// sustained intake ten a second. Each notice carries this server's id, for its own
// watcher to skip. Nothing is sent on SQLite. Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "config/paths.h"

namespace leadline::app {

class ChangeAnnouncer {
 public:
  ChangeAnnouncer(config::Paths paths, std::string owner);
  ~ChangeAnnouncer();  // sends what is noted, then stops

  void Announce(const std::string& topic);

  // "<topic> <owner>", what goes out; and its parts.
  static std::string Notice(const std::string& topic, const std::string& owner);
  static std::pair<std::string, std::string> TopicAndOwner(const std::string& notice);

 private:
  void Run();

  const config::Paths paths_;
  const std::string owner_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::set<std::string> noted_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace leadline::app
