// What `serve` does for BI tools beyond keeping the analytics tables: triggers the Looker
// datagroup it was started with (`serve --looker-datagroup`) after each analytics refresh that
// rewrote rows, and after the first refresh following a failed trigger (so a failure is retried);
// and answers POST /v1/bi/refresh (api/bi_routes.h): a refresh of the tables from the current
// metrics view on a store connection of its own, then the trigger. A failed automatic trigger is
// reported on stderr (never a credential) and never holds up a refresh or ingest.
// Thread-safety: safe from the analytics keeper's thread and request threads at once. The route's
// refreshes are coalesced (common/coalesced_run.h): callers arriving during a refresh share the
// next one, and past kMostWaiting of them the rest are turned away, so that a CI job looping on
// the route costs one refresh at a time and holds at most that many request threads.
#pragma once

#include <atomic>
#include <optional>

#include "api/bi_routes.h"
#include "app/analytics_refresh.h"
#include "app/looker.h"
#include "auth/secret_box.h"
#include "common/coalesced_run.h"
#include "config/paths.h"
#include "http/retrying_http_client.h"
#include "query/metrics_view.h"
#include "store/store.h"

namespace leadline::app {

class BiRefresher final : public api::BiRefresh {
 public:
  // `client` (the network) must outlive this; `looker` none: no datagroup is triggered.
  BiRefresher(config::Paths paths, auth::SecretBox box, http::HttpClient& client,
              std::optional<LookerTarget> looker, query::MetricsViewSource view);

  // After the keeper's refresh on `store` (its thread).
  void AfterRefresh(store::Store& store, const AnalyticsRefreshOutcome& outcome);
  common::Result<api::BiRefreshReport> Refresh() override;

  // Callers that wait for the next refresh at most (of the server's 8 request threads).
  static constexpr std::size_t kMostWaiting = 2;

 private:
  // One refresh of the tables and the trigger, on a store connection of its own.
  common::Result<api::BiRefreshReport> RefreshNow();

  // Triggers the datagroup and notes whether one is owed.
  common::Result<sources::looker::TriggerOutcome> Trigger(store::Store& store);

  const config::Paths paths_;
  const auth::SecretBox box_;
  http::RetryingHttpClient client_;
  const std::optional<LookerTarget> looker_;
  const query::MetricsViewSource view_;
  common::CoalescedRun<common::Result<api::BiRefreshReport>> refreshes_{kMostWaiting};
  std::atomic<bool> owed_{false};  // the last trigger failed
};

}  // namespace leadline::app
