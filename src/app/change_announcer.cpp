#include "app/change_announcer.h"

#include <chrono>
#include <cstdio>

#include "store/store.h"

namespace leadline::app {
namespace {

constexpr std::chrono::milliseconds kLeastGap{100};

}  // namespace

ChangeAnnouncer::ChangeAnnouncer(config::Paths paths, std::string owner)
    : paths_(std::move(paths)), owner_(std::move(owner)) {
  thread_ = std::thread([this] { Run(); });
}

ChangeAnnouncer::~ChangeAnnouncer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void ChangeAnnouncer::Announce(const std::string& topic) {
  {
    std::lock_guard lock(mutex_);
    if (!noted_.insert(topic).second) return;  // already on its way
  }
  wake_.notify_one();
}

std::string ChangeAnnouncer::Notice(const std::string& topic, const std::string& owner) {
  return topic + " " + owner;
}

std::pair<std::string, std::string> ChangeAnnouncer::TopicAndOwner(const std::string& notice) {
  const std::size_t space = notice.find(' ');
  if (space == std::string::npos) return {notice, ""};
  return {notice.substr(0, space), notice.substr(space + 1)};
}

void ChangeAnnouncer::Run() {
  std::unique_ptr<store::Store> store;
  std::string last_error;  // reported once, not per notice
  for (;;) {
    std::set<std::string> topics;
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !noted_.empty(); });
      topics.swap(noted_);
      stopping = stopping_;
    }
    for (const std::string& topic : topics) {
      common::Status sent = common::Status::Ok();
      if (!store) {
        auto opened = store::OpenStore(paths_.store);
        if (opened.ok()) {
          store = std::move(opened).value();
        } else {
          sent = opened.status();
        }
      }
      if (store) sent = store->coordination().Announce(Notice(topic, owner_));
      if (!sent.ok() && sent.message() != last_error) {
        // Others still find the work when they next look (every few seconds).
        last_error = sent.message();
        std::fprintf(stderr, "leadline: error: telling the other servers: %s\n",
                     last_error.c_str());
      }
      if (sent.ok()) last_error.clear();
    }
    if (stopping) return;
    // The next round waits a moment, gathering what is noted meanwhile: the servers a notice wakes
    // gather deliveries for as long (app/webhook_applier.h), and under sustained intake each
    // notice cost every listening server a wake-up, a few thousand a second.
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, kLeastGap, [&] { return stopping_; });
  }
}

}  // namespace leadline::app
