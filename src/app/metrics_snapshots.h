// Keeps the read endpoints' view (query/metrics_view.h) current: builds it from the store on first
// use, and after MarkStale() (data landed: a push, a sync) rebuilds it on a background thread
// while requests keep reading the previous one; the new view replaces it whole. The builder has
// its own store connection (SQLite in WAL mode reads beside the server's writes).
// Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "config/paths.h"
#include "query/metrics_view.h"

namespace leadline::app {

class MetricsSnapshots {
 public:
  MetricsSnapshots(config::Paths paths, std::string config_path);
  ~MetricsSnapshots();  // waits for a build in progress
  MetricsSnapshots(const MetricsSnapshots&) = delete;
  MetricsSnapshots& operator=(const MetricsSnapshots&) = delete;

  // Hands every view built from now on to `observer`, on the thread that built it, before it
  // replaces the current one. Set before the first Current(); not changed after.
  void OnBuilt(std::function<void(std::shared_ptr<const query::MetricsView>)> observer);

  common::Result<std::shared_ptr<const query::MetricsView>> Current();
  void MarkStale();
  // Seconds since the oldest change the current view does not show yet was marked; 0 when it
  // shows every one (or no view was built yet).
  common::Seconds BehindSeconds();

  // Builds a view now, from the store at `paths` with the settings of `config_path`.
  static common::Result<std::shared_ptr<const query::MetricsView>> Build(
      const config::Paths& paths, const std::string& config_path);

 private:
  void RebuildInBackground();  // with mutex_ held

  const config::Paths paths_;
  const std::string config_path_;
  std::function<void(std::shared_ptr<const query::MetricsView>)> on_built_;
  std::mutex mutex_;
  std::shared_ptr<const query::MetricsView> current_;
  bool stale_ = false;
  bool building_ = false;
  common::UnixSeconds stale_since_ = 0;     // the oldest mark no build has started from
  common::UnixSeconds building_since_ = 0;  // the oldest mark the build in progress covers
  std::thread builder_;
};

}  // namespace leadline::app
