#include "app/serve.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <random>
#include <set>
#include <string>

#include "api/access_gate.h"
#include "api/activity_routes.h"
#include "api/admin_routes.h"
#include "api/api_context.h"
#include "api/bi_routes.h"
#include "api/catalog_routes.h"
#include "api/graphql_routes.h"
#include "api/health_routes.h"
#include "api/persisted_queries.h"
#include "api/push_routes.h"
#include "api/read_routes.h"
#include "api/refusal_counts.h"
#include "api/server_metrics.h"
#include "api/shared_store.h"
#include "api/sign_in_routes.h"
#include "api/static_files.h"
#include "api/webhook_routes.h"
#include "api/webhook_secrets.h"
#include "app/analytics_keeper.h"
#include "app/audit_keeper.h"
#include "app/bi_refresher.h"
#include "app/change_announcer.h"
#include "app/change_event_worker.h"
#include "app/change_watcher.h"
#include "app/feedback_worker.h"
#include "app/incident_connections.h"
#include "app/metrics_snapshots.h"
#include "app/reconciler.h"
#include "app/sealed_secrets.h"
#include "app/served_connection_admin.h"
#include "app/server_slot.h"
#include "app/sync.h"
#include "app/webhook_applier.h"
#include "auth/ci_trust.h"
#include "auth/oidc_discovery.h"
#include "auth/oidc_sign_in.h"
#include "common/clock.h"
#include "common/file.h"
#include "config/settings.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"
#include "ingest/feedback_triggers.h"
#include "store/store_url.h"

namespace leadline::app {
namespace {

constexpr common::Seconds kFirstSyncWindow = 90 * common::kDay;

// The [oidc] client secret, from the file the settings name (its first line).
common::Result<std::string> ReadClientSecret(const std::string& path) {
  LEADLINE_ASSIGN_OR_RETURN(std::string secret,
                            common::ReadTextFile(path, "[oidc] client_secret_file"));
  secret = secret.substr(0, secret.find_first_of("\r\n"));
  if (secret.empty()) {
    return common::Status::InvalidArgument("the [oidc] client_secret_file '" + path +
                                           "' holds no secret on its first line");
  }
  return secret;
}

// One incremental sync of the connection's `location` (NotFound when it is not a selected
// repository).
common::Status SyncOne(const config::Paths& paths, ConnectionClients& clients,
                       std::int64_t connection_id, const std::string& location) {
  LEADLINE_ASSIGN_OR_RETURN(
      const std::vector<RepositorySync> synced,
      SyncSelected(
          {paths, location, common::NowUnixSeconds() - kFirstSyncWindow, {}, connection_id},
          clients));
  for (const RepositorySync& repo : synced) {
    if (!repo.status.ok()) return repo.status;
  }
  return common::Status::Ok();
}

// Prints the first note of each connection's background incident syncs (a feature the account
// lacks, such as PagerDuty's change events), once: it stays so, and saying it again at every
// reconciliation, about each incident it meets, would bury the log (`leadline incidents sync`
// prints every note). Thread-safe.
class NotesOnce {
 public:
  void Say(const std::string& connection, const std::string& note) {
    std::lock_guard lock(mutex_);
    if (said_.insert(connection).second) {
      std::fprintf(stderr, "leadline: note: %s: %s\n", connection.c_str(), note.c_str());
    }
  }

 private:
  std::mutex mutex_;
  std::set<std::string> said_;  // connections
};

// An incremental sync of the incidents of the incident tool connection `connection_id` (0: of
// every one) whose first sync has begun: whether it changed any. FailedPrecondition for the one
// named whose first sync has not run (with 0, those are passed over); NotFound when no incident
// tool is connected. The syncs' notes go to `notes`.
common::Result<bool> SyncIncidentsOf(const config::Paths& paths, ConnectionClients& clients,
                                     std::int64_t connection_id, NotesOnce& notes) {
  IncidentSyncOptions options;
  options.paths = paths;
  options.only_connection = connection_id;
  options.only_begun = true;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<IncidentConnectionSync> synced,
                            SyncIncidentConnections(options, clients));
  bool changed = false;
  for (const IncidentConnectionSync& one : synced) {
    const bool passed_over =
        connection_id == 0 && one.status.code() == common::StatusCode::kFailedPrecondition;
    if (!one.status.ok() && !passed_over) return one.status;
    for (const std::string& note : one.synced.notes) notes.Say(one.connection, note);
    changed = changed || one.synced.changed > 0;
  }
  return changed;
}

// One reconciliation run: an incremental sync of every selected repository (`renew` is called
// after each), then of the incidents of every incident tool connection whose first sync has run.
ReconcileRun SyncAllSelected(const config::Paths& paths, ConnectionClients& clients,
                             NotesOnce& notes, const std::function<void()>& renew) {
  ReconcileRun run;
  run.started_at = common::NowUnixSeconds();
  auto synced =
      SyncSelected({paths, "", common::NowUnixSeconds() - kFirstSyncWindow, {}, 0, renew}, clients);
  if (!synced.ok()) {
    // No selected repository is not a failure of the poll: there is nothing to reconcile.
    if (synced.status().code() != common::StatusCode::kNotFound) run.status = synced.status();
  } else {
    for (const RepositorySync& repo : *synced) {
      if (!repo.status.ok() && run.status.ok()) run.status = repo.status;
      run.changed = run.changed || repo.synced.Total().changed > 0;
    }
  }
  auto incidents = SyncIncidentsOf(paths, clients, 0, notes);
  if (incidents.ok()) {
    run.changed = run.changed || *incidents;
  } else if (incidents.status().code() != common::StatusCode::kNotFound && run.status.ok()) {
    run.status = incidents.status();
  }
  run.finished_at = common::NowUnixSeconds();
  return run;
}

// This server's name in claims on shared work: host, process and a random part (a process id
// may come back after a restart).
std::string HostName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return host[0] ? host : "server";
}

std::string NewServerId() {
  std::random_device random;
  char id[320];
  std::snprintf(id, sizeof id, "%s:%d:%08x", HostName().c_str(), static_cast<int>(getpid()),
                random());
  return id;
}

// PostgreSQL: several servers may share the store (they tell each other of changes through it),
// and its connections commit in parallel.
bool IsPostgres(const config::Paths& paths) {
  const auto url = store::ParseStoreUrl(paths.store);
  return url.ok() && url->engine == store::sql::Engine::kPostgres;
}

// How many connections the request threads share: SQLite serialises writers, so one; PostgreSQL
// commits on several connections in parallel.
common::Result<int> StoreConnections(const ServeRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(const store::StoreUrl url, store::ParseStoreUrl(request.paths.store));
  if (request.store_connections < 0 || request.store_connections > kMostStoreConnections) {
    return common::Status::InvalidArgument("--store-connections must be from 1 to " +
                                           std::to_string(kMostStoreConnections));
  }
  if (url.engine == store::sql::Engine::kSqlite) {
    if (request.store_connections > 1) {
      return common::Status::InvalidArgument(
          "--store-connections: a SQLite store takes one writer at a time, so serve keeps one "
          "connection to it; leave the flag out (it is for PostgreSQL)");
    }
    return 1;
  }
  if (request.store_connections > 0) return request.store_connections;
  constexpr int kMostByDefault = 8;
  return request.server.threads > 0 ? std::min(request.server.threads, kMostByDefault)
                                    : kMostByDefault;  // the default thread count is at least 8
}

// Handlers wait on the store's commits. On PostgreSQL, eight per store connection: while a
// connection commits, the deliveries that arrive queue and the next transaction takes them
// together (api/inbox_writer.h); with one handler per connection every delivery was a
// transaction of its own, and the intake a third lower (docs/benchmarks.md).
api::ServerOptions RequestThreads(const ServeRequest& request, int store_connections) {
  constexpr int kThreadsPerPostgresConnection = 8;
  api::ServerOptions server = request.server;
  if (server.threads == 0 && IsPostgres(request.paths)) {
    server.threads =
        std::max(api::DefaultRequestThreads(), kThreadsPerPostgresConnection * store_connections);
  }
  return server;
}

}  // namespace

// The reconciliation poll's state as the integration status API shows it: the shared job's, as
// the reconciler observes it each second. Written by the poll's thread, read by request threads.
class ReconciliationRecord {
 public:
  explicit ReconciliationRecord(common::Seconds every) { state_.every = every; }
  void Observed(const store::JobState& job, common::Seconds lag) {
    std::lock_guard lock(mutex_);
    if (job.last_finished_at != 0) state_.last_run_at = job.last_finished_at;
    state_.last_run_ok = job.last_ok;
    state_.last_error = job.last_error;
    state_.lag = lag;
  }
  api::ReconciliationState Read() const {
    std::lock_guard lock(mutex_);
    return state_;
  }

 private:
  mutable std::mutex mutex_;
  api::ReconciliationState state_;
};

// Declared in the order they are built; destroyed in reverse: the server first (its threads
// use everything else), then the audit keeper (writing the last refusal counts), the applier
// last but one.
struct Service::Parts {
  // Every sync of the process (webhooks', the poll's) goes through one client per connection,
  // so each connection's request budget holds across them.
  http::CurlHttpClient curl;
  std::unique_ptr<ConnectionClients> clients;
  NotesOnce incident_notes;         // the background incident syncs'
  std::unique_ptr<BiRefresher> bi;  // POST /v1/bi/refresh, and the keeper's Looker trigger
  // Before the snapshots, whose builder hands it views until they are gone.
  std::unique_ptr<AnalyticsKeeper> analytics;  // with --analytics only
  std::unique_ptr<MetricsSnapshots> snapshots;
  std::unique_ptr<api::SharedStore> store;
  api::ServerMetrics metrics;
  api::RefusalCounts refusals;
  // The lasting name of the background work's claims; not in the api role. Before the workers
  // that claim under it, so that it is let go only after they have stopped.
  std::unique_ptr<ServerSlot> slot;
  std::unique_ptr<ChangeAnnouncer> announcer;  // on PostgreSQL only
  std::unique_ptr<WebhookApplier> applier;     // not in the api role
  std::unique_ptr<AuditKeeper> audit;
  std::unique_ptr<ReconciliationRecord> reconciliation;
  std::unique_ptr<Reconciler> reconciler;               // not in the api role, nor when off
  std::unique_ptr<ConnectionClients> feedback_clients;  // posts' lighter retries
  std::unique_ptr<FeedbackWorker> feedback;             // not in the api role
  std::unique_ptr<ChangeEventWorker> change_events;     // not in the api role
  std::unique_ptr<ChangeWatcher> watcher;               // on PostgreSQL only
  std::unique_ptr<api::WebhookSecrets> secrets;
  std::unique_ptr<auth::CiTrust> ci_trust;   // [[ci_trust]], read at start
  std::unique_ptr<auth::OidcSignIn> people;  // [oidc], when people sign in
  std::unique_ptr<api::PersistedQueries> persisted_queries;
  std::unique_ptr<ServedConnectionAdmin> connection_admin;  // the admin API's connections
  std::unique_ptr<api::ApiContext> context;
  std::unique_ptr<api::HttpServer> server;
};

Service::Service(std::unique_ptr<Parts> parts, int port) : parts_(std::move(parts)), port_(port) {}
Service::~Service() { Stop(); }

common::Result<std::unique_ptr<Service>> Service::Start(const ServeRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(const int connections, StoreConnections(request));
  auto parts = std::make_unique<Parts>();
  // The server applies pending migrations itself (once, under the store's lock), so that an
  // upgrade is a restart.
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::AppliedMigration> applied,
                            store::MigrateStore(request.paths.store));
  for (const store::AppliedMigration& migration : applied) {
    std::fprintf(stderr, "Applied migration %d: %s\n", migration.version,
                 migration.description.c_str());
  }
  // Request threads never pay for a checkpoint: the pool's stores defer them to the applier.
  LEADLINE_ASSIGN_OR_RETURN(parts->store, api::SharedStore::Open(request.paths.store, connections));
  LEADLINE_ASSIGN_OR_RETURN(auth::SecretBox box, parts->store->With([&](store::Store& store) {
    return OpenCheckedKey(store, request.paths);
  }));
  LEADLINE_ASSIGN_OR_RETURN(parts->clients,
                            ConnectionClients::SharedThroughStore(parts->curl, request.paths));
  ConnectionClients& clients = *parts->clients;
  parts->snapshots = std::make_unique<MetricsSnapshots>(request.paths, request.config_path);
  MetricsSnapshots& snapshots = *parts->snapshots;
  std::optional<LookerTarget> looker;
  if (!request.looker.datagroup.empty() || !request.looker.model.empty()) {
    LEADLINE_RETURN_IF_ERROR(CheckLookerTarget(request.looker).WithContext("--looker-datagroup"));
    LEADLINE_RETURN_IF_ERROR(parts->store->With([](store::Store& store) {
      return StoredLookerConnection(store).status().WithContext("--looker-datagroup");
    }));
    looker = request.looker;
  }
  parts->bi = std::make_unique<BiRefresher>(request.paths, box, parts->curl, looker,
                                            [&snapshots] { return snapshots.Current(); });
  if (request.analytics || looker) {
    parts->analytics = std::make_unique<AnalyticsKeeper>(
        request.paths, [&snapshots] { return snapshots.Current(); });
    snapshots.OnBuilt([keeper = parts->analytics.get()](auto view) { keeper->Offer(view); });
    parts->analytics->OnRefreshed(
        [bi = parts->bi.get()](store::Store& store, const AnalyticsRefreshOutcome& outcome) {
          bi->AfterRefresh(store, outcome);
        });
  }
  api::ServerMetrics& metrics = parts->metrics;
  const std::string owner = NewServerId();
  if (IsPostgres(request.paths)) {
    parts->announcer = std::make_unique<ChangeAnnouncer>(request.paths, owner);
  }
  ChangeAnnouncer* announcer = parts->announcer.get();
  // New data here: this server's view is rebuilt, and the others are told to rebuild theirs.
  const auto data_changed = [&snapshots, announcer] {
    snapshots.MarkStale();
    if (announcer) announcer->Announce("data");
  };
  const bool works = request.role != ServeRole::kApi;
  // The background work (deliveries applied, the reconciliation, the outboxes) claims under the
  // server's slot, so that a restart takes back at once what a killed server left claimed;
  // without one (a read-only folder, every slot held), under this start's own name, and such
  // claims wait out their lease.
  std::string claims_owner = owner;
  if (works) {
    if (auto slot = ServerSlot::Take(request.paths.servers_dir, HostName()); slot.ok()) {
      parts->slot = std::move(slot).value();
      claims_owner = parts->slot->owner();
    } else {
      std::fprintf(stderr,
                   "leadline: warning: %s; work a killed server had claimed waits out its "
                   "lease\n",
                   slot.status().message().c_str());
    }
    parts->applier = std::make_unique<WebhookApplier>(
        request.paths, claims_owner, request.work_lease,
        [paths = request.paths, &clients](std::int64_t connection_id, const std::string& location) {
          return SyncOne(paths, clients, connection_id, location);
        },
        [paths = request.paths, &clients,
         &notes = parts->incident_notes](std::int64_t connection_id) {
          return SyncIncidentsOf(paths, clients, connection_id, notes).status();
        },
        data_changed,
        [&metrics](std::int64_t waiting) {
          metrics.SetGauge("leadline_inbox_depth", "Webhook deliveries waiting to be applied.",
                           static_cast<double>(waiting));
        },
        InboxRetention{request.webhook_body_retention, request.webhook_row_retention});
  }
  WebhookApplier* applier = parts->applier.get();
  api::RefusalCounts& refusals = parts->refusals;
  parts->audit = std::make_unique<AuditKeeper>(request.paths, refusals, request.audit_retention);
  parts->reconciliation =
      std::make_unique<ReconciliationRecord>(std::max<common::Seconds>(0, request.reconcile_every));
  ReconciliationRecord& reconciliation = *parts->reconciliation;
  if (works && request.reconcile_every > 0) {
    parts->reconciler = std::make_unique<Reconciler>(
        request.paths, claims_owner, request.reconcile_every, request.work_lease,
        [paths = request.paths, &clients,
         &notes = parts->incident_notes](const std::function<void()>& renew) {
          return SyncAllSelected(paths, clients, notes, renew);
        },
        [data_changed](const ReconcileRun& run) {
          if (!run.status.ok()) {
            std::fprintf(stderr, "leadline: error: reconciliation sync: %s\n",
                         run.status.message().c_str());
          }
          if (run.changed) data_changed();
        },
        [&metrics, &reconciliation](const store::JobState& job, common::Seconds lag) {
          reconciliation.Observed(job, lag);
          if (job.last_finished_at != 0) {
            metrics.SetGauge("leadline_reconcile_last_run_timestamp_seconds",
                             "When the last reconciliation sync finished.",
                             static_cast<double>(job.last_finished_at));
            metrics.SetGauge("leadline_reconcile_last_run_ok",
                             "Whether the last reconciliation sync succeeded (1) or not (0).",
                             job.last_ok ? 1 : 0);
          }
          metrics.SetGauge("leadline_sync_lag_seconds",
                           "Seconds since the last successful reconciliation sync (or the start).",
                           static_cast<double>(lag));
        });
  }
  if (announcer) {  // the other servers' notices, on the same engine as ours
    parts->watcher = std::make_unique<ChangeWatcher>(
        request.paths, owner, [applier, &snapshots](const std::string& topic) {
          if (topic == "inbox" && applier) applier->Notify();
          if (topic == "data") snapshots.MarkStale();
        });
  }
  parts->secrets = std::make_unique<api::WebhookSecrets>(*parts->store, box);
  parts->context = std::make_unique<api::ApiContext>(api::ApiContext{
      *parts->store, parts->metrics, [&snapshots] { return snapshots.Current(); }, data_changed,
      [applier, announcer] {
        if (applier) applier->Notify();
        if (announcer) announcer->Announce("inbox");
      }});
  // CI jobs' OIDC tokens, as leadline.toml trusts them when the server starts.
  LEADLINE_ASSIGN_OR_RETURN(const config::Settings settings,
                            config::LoadSettings(request.config_path, request.paths.settings_file));
  ingest::SetFeedbackDebounce(request.feedback_debounce);
  if (works) {
    FeedbackWorkerOptions feedback;
    feedback.lease = std::max<common::Seconds>(request.work_lease, 60);
    feedback.retry_after = request.feedback_retry_after;
    feedback.max_age = request.feedback_max_age;
    feedback.counted = [&metrics](const std::string& outcome, std::int64_t count) {
      metrics.CountFeedbackPosts(outcome, count);
    };
    // Posts get the outbox's backoff rather than the HTTP client's retries (budgets still
    // shared with the syncs through the store).
    LEADLINE_ASSIGN_OR_RETURN(
        parts->feedback_clients,
        ConnectionClients::SharedThroughStore(parts->curl, request.paths, FeedbackRetryPolicy()));
    parts->feedback = std::make_unique<FeedbackWorker>(
        request.paths, claims_owner, settings, *parts->feedback_clients, feedback,
        [](const std::string& line) {
          std::fprintf(stderr, "leadline: error: %s\n", line.c_str());
        });
    ChangeEventWorkerOptions change_events;
    change_events.send.owner = claims_owner;
    change_events.send.lease = std::max<common::Seconds>(request.work_lease, 60);
    parts->change_events = std::make_unique<ChangeEventWorker>(
        request.paths, settings, parts->curl, change_events, [](const std::string& line) {
          std::fprintf(stderr, "leadline: error: %s\n", line.c_str());
        });
  }
  parts->ci_trust =
      std::make_unique<auth::CiTrust>(settings.ci_trust(), auth::KeySetFetchOver(parts->curl));
  parts->context->ci_trust = parts->ci_trust.get();
  if (settings.oidc().configured()) {
    LEADLINE_ASSIGN_OR_RETURN(const std::string client_secret,
                              ReadClientSecret(settings.oidc().client_secret_file));
    parts->people = std::make_unique<auth::OidcSignIn>(settings.oidc(), client_secret, parts->curl);
    parts->context->people = parts->people.get();
    parts->context->max_sign_ins_per_client = request.max_sign_ins_per_client;
  }
  if (request.graphql_allow_list.empty()) {
    parts->persisted_queries = std::make_unique<api::PersistedQueries>();
  } else {
    LEADLINE_ASSIGN_OR_RETURN(parts->persisted_queries,
                              api::PersistedQueries::LoadAllowList(request.graphql_allow_list));
  }
  parts->context->persisted_queries = parts->persisted_queries.get();
  parts->connection_admin = std::make_unique<ServedConnectionAdmin>(
      request.paths, parts->curl, settings.webhook_public_url(), settings.services());
  parts->context->connections = parts->connection_admin.get();
  parts->context->bi_refresh = parts->bi.get();
  parts->context->configured_services = settings.services();
  parts->context->view_behind = [&snapshots] { return snapshots.BehindSeconds(); };
  parts->context->reconciliation = [&reconciliation] { return reconciliation.Read(); };
  api::ApiContext& context = *parts->context;
  context.refused = [&refusals, &context](const api::HttpRequest& req,
                                          const api::HttpResponse& res) {
    refusals.Add(context.now(), req, res.status, res.refusal);
  };
  // Checked at start already; a secret sealed since with another key makes the server unready.
  context.secrets_open = [&shared = *parts->store, box] {
    return shared.With([&](store::Store& opened) { return CheckSealedSecrets(opened, box); });
  };
  parts->server = std::make_unique<api::HttpServer>(RequestThreads(request, connections));
  api::AddHealthRoutes(*parts->server, *parts->context);
  if (request.role != ServeRole::kWorker) {
    api::AddPushRoutes(*parts->server, *parts->context);
    api::AddSignInRoutes(*parts->server, *parts->context);
    api::AddAdminRoutes(*parts->server, *parts->context);
    api::AddBiRoutes(*parts->server, *parts->context);
    api::AddReadRoutes(*parts->server, *parts->context);
    api::AddActivityRoutes(*parts->server, *parts->context);
    api::AddCatalogRoutes(*parts->server, *parts->context);
    api::AddGraphqlRoutes(*parts->server, *parts->context);
    api::AddWebhookRoutes(*parts->server, *parts->context, *parts->secrets);
  }
  if (!request.web_root.empty() && request.role != ServeRole::kWorker) {
    LEADLINE_ASSIGN_OR_RETURN(api::StaticFiles files, api::StaticFiles::Load(request.web_root));
    parts->server->SetGetFallback(
        [files = std::make_shared<const api::StaticFiles>(std::move(files))](
            const std::string& path) { return files->Answer(path); });
  }
  parts->server->SetObserver(
      [&metrics, &refusals, &context](const api::HttpRequest& req, const api::HttpResponse& res,
                                      const std::string& route, double elapsed_ms) {
        metrics.CountRequest(route, res.status, elapsed_ms);
        const std::string refusal = api::RefusalOf(res, route);
        if (refusal.empty()) return;
        metrics.CountRefusal(refusal);
        // What no route saw has no identity behind it; the routes count their own refusals.
        if (route == "refused" || route == "unmatched") {
          refusals.Add(context.now(), req, res.status, refusal);
        }
      });
  LEADLINE_ASSIGN_OR_RETURN(const int port, parts->server->Bind());
  return std::unique_ptr<Service>(new Service(std::move(parts), port));
}

common::Status Service::Serve() {
  if (parts_->applier) parts_->applier->Start();  // first, it applies what a crash left
  parts_->audit->Start();
  if (parts_->reconciler) parts_->reconciler->Start();
  if (parts_->feedback) parts_->feedback->Start();
  if (parts_->change_events) parts_->change_events->Start();
  if (parts_->watcher) parts_->watcher->Start();
  if (parts_->analytics) parts_->analytics->Start();
  return parts_->server->Serve();
}

void Service::Stop() {
  parts_->server->Stop();
  if (parts_->analytics) parts_->analytics->Stop();
  if (parts_->watcher) parts_->watcher->Stop();
  if (parts_->reconciler) parts_->reconciler->Stop();
  if (parts_->feedback) parts_->feedback->Stop();
  if (parts_->change_events) parts_->change_events->Stop();
  parts_->audit->Stop();
  if (parts_->applier) parts_->applier->Stop();
}

}  // namespace leadline::app
