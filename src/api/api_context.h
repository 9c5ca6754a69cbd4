// What every route shares: the store, the server's figures and the clock. Owned by the serve
// composition; outlives the server. Thread-safe (each member is).
#pragma once

#include <functional>

#include "api/server_metrics.h"
#include "api/shared_store.h"
#include "common/time.h"

namespace leadline::api {

struct ApiContext {
  SharedStore& store;
  ServerMetrics& metrics;
  std::function<common::UnixSeconds()> now = common::NowUnixSeconds;
};

}  // namespace leadline::api
