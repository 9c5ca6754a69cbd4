// Keeps the analytics tables current under `leadline serve --analytics`: refreshes them
// (app/analytics_refresh.h) from the first metrics view at start, then from every view built
// after new data landed (MetricsSnapshots::OnBuilt hands each one over), on a thread of its own
// with its own store connection. Views offered during a refresh are not queued: the next refresh
// takes the newest. A failed refresh is reported on stderr and the next view tries again.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "app/analytics_refresh.h"
#include "config/paths.h"
#include "query/metrics_view.h"

namespace leadline::app {

class AnalyticsKeeper {
 public:
  // `first_view` gives the view to refresh from at start.
  AnalyticsKeeper(config::Paths paths, query::MetricsViewSource first_view);
  ~AnalyticsKeeper();  // Stop()
  AnalyticsKeeper(const AnalyticsKeeper&) = delete;
  AnalyticsKeeper& operator=(const AnalyticsKeeper&) = delete;

  // Told after each refresh that succeeded, on the keeper's thread with its store (the Looker
  // trigger of app/bi_refresher.h). Set before Start().
  void OnRefreshed(std::function<void(store::Store&, const AnalyticsRefreshOutcome&)> told) {
    on_refreshed_ = std::move(told);
  }
  void Start();
  // A new view to refresh from; harmless after Stop().
  void Offer(std::shared_ptr<const query::MetricsView> view);
  void Stop();  // waits for a refresh in progress

 private:
  void Run();

  const config::Paths paths_;
  const query::MetricsViewSource first_view_;
  std::function<void(store::Store&, const AnalyticsRefreshOutcome&)> on_refreshed_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::shared_ptr<const query::MetricsView> pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace leadline::app
