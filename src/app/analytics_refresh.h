// Keeps the analytics tables (store/analytics.h, docs/bi.md) equal to a metrics view: makes every
// scope's rows (app/analytics_rows.h), and rewrites in one transaction the scopes whose rows
// differ from what was last written (by digest), deletes the scopes that are gone, and records
// the refresh, so that readers see the whole refresh or none of it. A full refresh rewrites every
// scope. Rows are made before the transaction opens, so that writers of the store wait only for
// the writing; past a bound on the rows held (a full rebuild of a large project), the rest are
// made again inside it, so that memory stays bounded by about one repository's rows (the default
// bound, 200,000 rows, is about 130 MB with the changes' commits and authors). Runs on the
// caller's thread with the caller's store; thread-safe otherwise.
#pragma once

#include "common/status.h"
#include "query/metrics_view.h"
#include "store/store.h"

namespace leadline::app {

struct AnalyticsRefreshOptions {
  bool full = false;
  common::UnixSeconds now = 0;  // recorded as the refresh's time
  // The most rows held between making them and the transaction (see above).
  std::size_t most_held_rows = 200'000;
};

struct AnalyticsRefreshOutcome {
  store::AnalyticsRefreshRecord record;
  std::size_t scopes = 0;  // in the view: repositories and projects
};

common::Result<AnalyticsRefreshOutcome> RefreshAnalytics(store::Store& store,
                                                         const query::MetricsView& view,
                                                         const AnalyticsRefreshOptions& options);

}  // namespace leadline::app
