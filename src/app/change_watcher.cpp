#include "app/change_watcher.h"

#include <chrono>
#include <cstdio>

#include "app/change_announcer.h"
#include "store/change_listener.h"

namespace leadline::app {

ChangeWatcher::ChangeWatcher(config::Paths paths, std::string owner,
                             std::function<void(const std::string&)> heard)
    : paths_(std::move(paths)), owner_(std::move(owner)), heard_(std::move(heard)) {}

ChangeWatcher::~ChangeWatcher() { Stop(); }

void ChangeWatcher::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ChangeWatcher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void ChangeWatcher::Run() {
  std::unique_ptr<store::ChangeListener> listener;
  std::string last_error;  // reported once per outage
  const auto stopping = [&] {
    std::lock_guard lock(mutex_);
    return stopping_;
  };
  // Waits of a quarter second: Stop() is seen that soon without a wake-up through the socket.
  constexpr std::chrono::milliseconds kWait{250};
  while (!stopping()) {
    if (!listener) {
      auto opened = store::ListenForChanges(paths_.store);
      if (!opened.ok() || !*opened) {
        const std::string error =
            opened.ok() ? "no notices on this store" : opened.status().message();
        if (error != last_error) {
          std::fprintf(stderr, "leadline: error: listening for the other servers: %s\n",
                       error.c_str());
        }
        last_error = error;
        for (int i = 0; i < 4 && !stopping(); ++i) std::this_thread::sleep_for(kWait);
        continue;
      }
      listener = std::move(opened).value();
      if (!last_error.empty()) {
        std::fprintf(stderr, "leadline: listening for the other servers again\n");
        last_error.clear();
        heard_("inbox");  // what was announced meanwhile is lost: look now
        heard_("data");
      }
    }
    auto notices = listener->Wait(kWait);
    if (!notices.ok()) {
      listener.reset();
      last_error = notices.status().message();
      std::fprintf(stderr, "leadline: error: listening for the other servers: %s\n",
                   last_error.c_str());
      continue;
    }
    for (const std::string& notice : *notices) {
      const auto [topic, owner] = ChangeAnnouncer::TopicAndOwner(notice);
      if (owner != owner_) heard_(topic);
    }
  }
}

}  // namespace leadline::app
