// What every route shares: the store, the server's figures, the metrics view and the clock. Owned
// by the serve composition; outlives the server. Thread-safe (each member is).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "api/http_types.h"
#include "api/server_metrics.h"
#include "api/shared_store.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/incident_selection.h"
#include "query/metrics_view.h"

namespace leadline::auth {
class CiTrust;
class OidcSignIn;
}  // namespace leadline::auth

namespace leadline::api {

class BiRefresh;
class ConnectionAdmin;
class PersistedQueries;

// The reconciliation poll's state, for the integration status API.
struct ReconciliationState {
  common::Seconds every = 0;  // 0: the poll is off
  std::optional<common::UnixSeconds> last_run_at;
  bool last_run_ok = false;
  std::string last_error;   // of the last run, when it failed
  common::Seconds lag = 0;  // since the last good run finished (or the start)
};

struct ApiContext {
  SharedStore& store;
  ServerMetrics& metrics;
  query::MetricsViewSource view;        // what the read endpoints answer from
  std::function<void()> data_changed;   // told after a push stored something new
  std::function<void()> inbox_changed;  // told after a webhook delivery was stored
  // Told of each request refused without a valid identity (`response.refusal` says why): such
  // refusals are counted per client address and minute, not logged one by one.
  std::function<void(const HttpRequest&, const HttpResponse&)> refused = [](const HttpRequest&,
                                                                            const HttpResponse&) {};
  // Whether the stored secrets (connections' credentials, webhook secrets) open with the
  // server's key: /readyz is not ready otherwise.
  std::function<common::Status()> secrets_open = [] { return common::Status::Ok(); };
  std::function<common::UnixSeconds()> now = common::NowUnixSeconds;
  std::function<ReconciliationState()> reconciliation = [] { return ReconciliationState(); };
  // Seconds the metrics view is behind the store (data landed here or on another server that
  // the view does not show yet); /readyz says so.
  std::function<common::Seconds()> view_behind = [] { return common::Seconds{0}; };
  // The [[ci_trust]] rules: CI jobs' OIDC tokens the push routes accept; null: none.
  auth::CiTrust* ci_trust = nullptr;
  // People's sign-in with the [oidc] provider (api/sign_in_routes.h); null: not configured, and
  // session cookies are not read.
  auth::OidcSignIn* people = nullptr;
  // Sign-ins one client address may start in 10 minutes (api/sign_in_throttle.h); 0: no limit.
  int max_sign_ins_per_client = 30;
  // GraphQL's persisted queries (api/persisted_queries.h): automatic, or an allow-list; null:
  // none (a request naming one by hash is refused).
  PersistedQueries* persisted_queries = nullptr;
  // The admin API's connection management (api/connection_admin.h); null: not offered.
  ConnectionAdmin* connections = nullptr;
  // The analytics refresh and Looker trigger of POST /v1/bi/refresh (api/bi_routes.h); null:
  // not offered.
  BiRefresh* bi_refresh = nullptr;
  // [services] of leadline.toml: incident services mapped by the settings, which the
  // integration status counts as mapped (they win over the stored mappings). Set before the
  // server starts, read-only afterwards.
  engine::ConfiguredServices configured_services = {};
};

}  // namespace leadline::api
