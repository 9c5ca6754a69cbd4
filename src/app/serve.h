// The composition behind `leadline serve`: the store, the API server and its routes (health,
// metrics, the push API, the REST and GraphQL reads, webhooks), the background work (the webhook
// applier, the reconciliation sync, the metrics view), built once and run until stopped. Any
// number of servers may share one PostgreSQL store: they split the background work by claims,
// and tell each other of new data and deliveries (change_announcer.h, change_watcher.h). Serve()
// blocks; Stop() may come from another thread (the signal handler's).
#pragma once

#include <memory>
#include <string>

#include "api/http_server.h"
#include "app/looker.h"
#include "common/time.h"
#include "config/paths.h"

namespace leadline::app {

// What a server process does: answer HTTP (the API, the dashboard, webhook intake), work in the
// background (apply the webhook inbox, the reconciliation sync), or both. Operators split them
// to scale HTTP apart from the work; a worker answers only /healthz, /readyz and /metrics.
enum class ServeRole { kAll, kApi, kWorker };

struct ServeRequest {
  config::Paths paths;
  ServeRole role = ServeRole::kAll;
  // How long this server's claim on background work (webhook deliveries, the reconciliation
  // sync) holds without renewal; work of a server that died is taken over after it.
  common::Seconds work_lease = 60;
  std::string config_path;  // leadline.toml; default: beside the store
  // How often every selected repository is synced, catching what webhooks missed; 0: never.
  common::Seconds reconcile_every = 15 * common::kMinute;
  // How long audit entries and refusal counts are kept; older ones are deleted hourly.
  common::Seconds audit_retention = 400 * common::kDay;
  // How long an applied webhook delivery's body and its row are kept (app/webhook_applier.h).
  common::Seconds webhook_body_retention = 7 * common::kDay;
  common::Seconds webhook_row_retention = 30 * common::kDay;
  api::ServerOptions server;
  // Connections to the store that the request threads share (api/shared_store.h), at most
  // kMostStoreConnections; 0: one per request thread, at most 8, on PostgreSQL. A SQLite store
  // keeps one (it serialises writers), and refuses another number.
  int store_connections = 0;
  std::string web_root;  // the dashboard's built files (web/dist); empty: no dashboard
  // An Apollo persisted query manifest: GraphQL runs only its documents; empty: automatic
  // persisted queries (api/persisted_queries.h).
  std::string graphql_allow_list;
  // Keep the analytics tables BI tools read current (app/analytics_keeper.h).
  bool analytics = false;
  // The Looker datagroup triggered after each refresh that changed rows and on POST
  // /v1/bi/refresh (app/bi_refresher.h); an empty datagroup: none. One implies `analytics`.
  LookerTarget looker;
  // Sign-ins one client address may start in 10 minutes (api/sign_in_throttle.h); 0: no limit.
  int max_sign_ins_per_client = 30;
  // Feedback on pull requests (app/feedback_worker.h): how long after the last event a post is
  // made, and the first retry's delay after a failed one.
  common::Seconds feedback_debounce = 30;
  common::Seconds feedback_retry_after = 30;
  // Queued posts older than this are dropped unposted; 0: never.
  common::Seconds feedback_max_age = 7 * common::kDay;
};

inline constexpr int kMostStoreConnections = 64;

class Service {
 public:
  // Opens the store (migrating it), checks that its sealed secrets open with the key (refusing
  // to start otherwise: app/sealed_secrets.h) and binds the listening socket.
  static common::Result<std::unique_ptr<Service>> Start(const ServeRequest& request);
  ~Service();

  int port() const { return port_; }
  common::Status Serve();  // until Stop(); requests in flight finish first
  void Stop();

 private:
  struct Parts;
  explicit Service(std::unique_ptr<Parts> parts, int port);
  std::unique_ptr<Parts> parts_;
  int port_ = 0;
};

}  // namespace leadline::app
