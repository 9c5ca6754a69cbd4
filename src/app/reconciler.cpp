#include "app/reconciler.h"

#include <chrono>

namespace leadline::app {

Reconciler::Reconciler(common::Seconds interval, SyncAll sync,
                       std::function<void(const ReconcileRun&)> done,
                       std::function<void(common::Seconds)> lag)
    : interval_(interval), sync_(std::move(sync)), done_(std::move(done)), lag_(std::move(lag)) {}

Reconciler::~Reconciler() { Stop(); }

void Reconciler::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Reconciler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void Reconciler::Run() {
  common::UnixSeconds last_good = common::NowUnixSeconds();  // the server's start counts
  common::UnixSeconds next = last_good + interval_;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; })) return;
    }
    const common::UnixSeconds now = common::NowUnixSeconds();
    if (lag_) lag_(now - last_good);
    if (now < next) continue;
    ReconcileRun run = sync_();
    if (run.status.ok()) last_good = run.finished_at;
    next = run.finished_at + interval_;
    if (done_) done_(run);
  }
}

}  // namespace leadline::app
