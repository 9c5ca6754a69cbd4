// What every route shares: the store, the server's figures, the metrics view and the clock. Owned
// by the serve composition; outlives the server. Thread-safe (each member is).
#pragma once

#include <functional>

#include "api/metrics_view.h"
#include "api/server_metrics.h"
#include "api/shared_store.h"
#include "common/time.h"

namespace leadline::api {

struct ApiContext {
  SharedStore& store;
  ServerMetrics& metrics;
  MetricsViewSource view;               // what the read endpoints answer from
  std::function<void()> data_changed;   // told after a push stored something new
  std::function<void()> inbox_changed;  // told after a webhook delivery was stored
  std::function<common::UnixSeconds()> now = common::NowUnixSeconds;
};

}  // namespace leadline::api
