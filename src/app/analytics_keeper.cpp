#include "app/analytics_keeper.h"

#include <cstdio>

#include "store/store.h"

namespace leadline::app {

AnalyticsKeeper::AnalyticsKeeper(config::Paths paths, query::MetricsViewSource first_view)
    : paths_(std::move(paths)), first_view_(std::move(first_view)) {}

AnalyticsKeeper::~AnalyticsKeeper() { Stop(); }

void AnalyticsKeeper::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Run(); });
}

void AnalyticsKeeper::Offer(std::shared_ptr<const query::MetricsView> view) {
  std::lock_guard lock(mutex_);
  pending_ = std::move(view);
  wake_.notify_one();
}

void AnalyticsKeeper::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void AnalyticsKeeper::Run() {
  std::unique_ptr<store::Store> store;
  const auto refresh = [&](const query::MetricsView& view) {
    if (!store) {
      auto opened = store::OpenStore(paths_.store);
      if (!opened.ok()) {
        std::fprintf(stderr, "leadline: error: analytics refresh: %s\n",
                     opened.status().message().c_str());
        return;
      }
      store = std::move(opened).value();
    }
    auto outcome = RefreshAnalytics(*store, view, {.full = false, .now = common::NowUnixSeconds()});
    if (!outcome.ok()) {
      std::fprintf(stderr, "leadline: error: analytics refresh: %s\n",
                   outcome.status().message().c_str());
      store.reset();  // a connection in a bad state is made again
    } else if (on_refreshed_) {
      on_refreshed_(*store, *outcome);
    }
  };
  if (auto first = first_view_(); first.ok()) {
    // The first build also reaches Offer (MetricsSnapshots::OnBuilt): refresh once from it.
    {
      std::lock_guard lock(mutex_);
      if (pending_ == *first) pending_.reset();
    }
    refresh(**first);
  } else {
    std::fprintf(stderr, "leadline: error: analytics refresh: %s\n",
                 first.status().message().c_str());
  }
  for (;;) {
    std::shared_ptr<const query::MetricsView> view;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || pending_ != nullptr; });
      if (stopping_) return;
      view = std::move(pending_);
      pending_.reset();
    }
    refresh(*view);
  }
}

}  // namespace leadline::app
