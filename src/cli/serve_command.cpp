#include "cli/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>
#include <tuple>
#include <vector>

#include "app/serve.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "store/store_url.h"

namespace leadline::cli {
namespace {

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  StoreOptions store;
  std::string config;
  std::string role = "all";
  std::string work_lease = "60s";
  std::string feedback_debounce = "30s";
  std::string feedback_retry = "30s";
  std::string feedback_max_age = "7d";
  std::string reconcile_every = "15m";
  std::string audit_retention = "400d";
  std::string webhook_retention = "30d";
  std::string webhook_body_retention = "7d";
  int threads = 0;
  std::size_t max_body_kb = 1024;
  std::string header_timeout = "10s";
  std::string idle_timeout = "15s";
  int max_connections = 0;
  int max_connections_per_client = 1024;
  int max_sign_ins_per_client = 30;
  std::size_t max_request_memory_mb = 512;
  int store_connections = 0;
  const CLI::Option* store_connections_flag = nullptr;  // whether it was given
  std::string web_root;
  std::string graphql_allow_list;
  bool analytics = false;
  std::string looker_datagroup, looker_model;
};

int RunServe(const ServeFlags& flags) {
  auto listen = ParseListen(flags.listen);
  if (!listen.ok()) return ReportError(listen.status());
  app::ServeRequest request;
  request.paths = flags.store.paths;
  request.config_path = flags.config;
  request.analytics = flags.analytics;
  request.looker = {flags.looker_datagroup, flags.looker_model};
  if (flags.role == "all") {
    request.role = app::ServeRole::kAll;
  } else if (flags.role == "api") {
    request.role = app::ServeRole::kApi;
  } else if (flags.role == "worker") {
    request.role = app::ServeRole::kWorker;
  } else {
    return ReportError(common::Status::InvalidArgument("--role must be all, api or worker, not '" +
                                                       flags.role + "'"));
  }
  if (request.role != app::ServeRole::kAll) {
    // On SQLite a server has no way to hear of another's writes: one server does everything.
    const auto url = store::ParseStoreUrl(request.paths.store);
    if (url.ok() && url->engine != store::sql::Engine::kPostgres) {
      return ReportError(common::Status::InvalidArgument(
          "--role " + flags.role +
          " needs a PostgreSQL store, which several servers share; on SQLite one server (--role "
          "all) does everything"));
    }
  }
  auto lease = common::ParseDurationFlag(flags.work_lease);
  if (!lease.ok()) return ReportError(lease.status().WithContext("--work-lease"));
  if (*lease < 1 || *lease > common::kHour) {
    return ReportError(common::Status::InvalidArgument("--work-lease must be from 1s to 1h"));
  }
  request.work_lease = *lease;
  for (const auto& [flag, text, into] :
       {std::tuple{"--feedback-debounce", &flags.feedback_debounce, &request.feedback_debounce},
        std::tuple{"--feedback-retry", &flags.feedback_retry, &request.feedback_retry_after}}) {
    auto seconds = common::ParseDurationFlag(*text);
    if (!seconds.ok()) return ReportError(seconds.status().WithContext(flag));
    if (*seconds > common::kHour) {
      return ReportError(
          common::Status::InvalidArgument(std::string(flag) + " must be at most 1h"));
    }
    *into = *seconds;
  }
  if (flags.feedback_max_age == "off") {
    request.feedback_max_age = 0;
  } else {
    auto age = common::ParseDurationFlag(flags.feedback_max_age);
    if (!age.ok()) return ReportError(age.status().WithContext("--feedback-max-age (or 'off')"));
    if (*age < common::kMinute) {
      return ReportError(
          common::Status::InvalidArgument("--feedback-max-age must be at least 1m (or off)"));
    }
    request.feedback_max_age = *age;
  }
  if (flags.reconcile_every == "off") {
    request.reconcile_every = 0;
  } else {
    auto every = common::ParseDurationFlag(flags.reconcile_every);
    if (!every.ok()) return ReportError(every.status().WithContext("--reconcile-every (or 'off')"));
    request.reconcile_every = *every;
  }
  auto retention = common::ParseDurationFlag(flags.audit_retention);
  if (!retention.ok()) return ReportError(retention.status().WithContext("--audit-retention"));
  request.audit_retention = *retention;
  auto rows = common::ParseDurationFlag(flags.webhook_retention);
  if (!rows.ok()) return ReportError(rows.status().WithContext("--webhook-retention"));
  auto bodies = common::ParseDurationFlag(flags.webhook_body_retention);
  if (!bodies.ok()) return ReportError(bodies.status().WithContext("--webhook-body-retention"));
  if (*rows < common::kHour || *bodies < common::kHour) {
    return ReportError(common::Status::InvalidArgument(
        "--webhook-retention and --webhook-body-retention must be at least 1h (pruning runs "
        "hourly)"));
  }
  if (*bodies > *rows) {
    return ReportError(common::Status::InvalidArgument(
        "--webhook-body-retention (" + flags.webhook_body_retention +
        ") must not be longer than --webhook-retention (" + flags.webhook_retention +
        "): a body goes with its row"));
  }
  request.webhook_row_retention = *rows;
  request.webhook_body_retention = *bodies;
  request.server.host = listen->first;
  request.server.port = listen->second;
  request.server.threads = flags.threads;
  if (flags.max_body_kb < 1 || flags.max_body_kb > (std::size_t{1} << 20)) {
    return ReportError(
        common::Status::InvalidArgument("--max-body-kb must be from 1 to 1048576 (1 GiB)"));
  }
  request.server.max_body_bytes = flags.max_body_kb * 1024;
  for (const auto& [flag, text, into] :
       {std::tuple{"--header-timeout", &flags.header_timeout, &request.server.header_timeout_ms},
        std::tuple{"--idle-timeout", &flags.idle_timeout, &request.server.idle_timeout_ms}}) {
    auto seconds = common::ParseDurationFlag(*text);
    if (!seconds.ok()) return ReportError(seconds.status().WithContext(flag));
    if (*seconds > 3600) {
      return ReportError(common::Status::InvalidArgument(std::string(flag) + ": at most 1h"));
    }
    *into = static_cast<int>(*seconds * 1000);
  }
  if (flags.max_sign_ins_per_client < 0 || flags.max_sign_ins_per_client > 100'000) {
    return ReportError(common::Status::InvalidArgument(
        "--max-sign-ins-per-client must be from 0 (no limit) to 100000"));
  }
  request.max_sign_ins_per_client = flags.max_sign_ins_per_client;
  if (flags.max_connections < 0 || flags.max_connections_per_client < 1) {
    return ReportError(common::Status::InvalidArgument(
        "--max-connections must be 0 (automatic) or more, --max-connections-per-client 1 or "
        "more"));
  }
  request.server.max_request_memory_bytes = flags.max_request_memory_mb << 20;
  // One request of the largest size, gzip-inflated, must fit in the budget.
  if (flags.max_request_memory_mb > (std::size_t{1} << 20) ||
      request.server.max_request_memory_bytes < 2 * request.server.max_body_bytes + (1 << 20)) {
    return ReportError(common::Status::InvalidArgument(
        "--max-request-memory-mb must hold one request of --max-body-kb twice (inflated from "
        "gzip) and a MiB more, and be at most 1048576"));
  }
  if (flags.store_connections_flag->count() > 0) {
    if (flags.store_connections < 1 || flags.store_connections > app::kMostStoreConnections) {
      return ReportError(common::Status::InvalidArgument(
          "--store-connections must be from 1 to " + std::to_string(app::kMostStoreConnections)));
    }
    request.store_connections = flags.store_connections;
  }
  request.server.max_connections = flags.max_connections;
  request.server.max_connections_per_client = flags.max_connections_per_client;
  request.web_root = FindWebRoot(flags.web_root);
  request.graphql_allow_list = flags.graphql_allow_list;

  return ServeUntilStopped(request, "");
}

}  // namespace

common::Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  const std::size_t colon = listen.rfind(':');
  const std::string port = colon == std::string::npos ? "" : listen.substr(colon + 1);
  if (colon == std::string::npos || colon == 0 || port.empty() ||
      port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
      std::stoi(port) > 65535) {
    return common::Status::InvalidArgument(
        "--listen: expected HOST:PORT such as 127.0.0.1:8080, "
        "not '" +
        listen + "'");
  }
  return std::pair{listen.substr(0, colon), std::stoi(port)};
}

std::string FindWebRoot(const std::string& flag) {
  if (!flag.empty()) return flag;
  std::error_code error;
  std::vector<std::filesystem::path> candidates;
  const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) candidates.push_back(program.parent_path() / "web");
  candidates.emplace_back(LEADLINE_WEB_DIST);
  for (const std::filesystem::path& candidate : candidates) {
    if (std::filesystem::is_regular_file(candidate / "index.html", error)) return candidate;
  }
  return "";
}

int ServeUntilStopped(const app::ServeRequest& request, const std::string& banner) {
  // Signals go to one waiting thread; every other thread (the server's) inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto service = app::Service::Start(request);
  if (!service.ok()) return ReportError(service.status());
  std::atomic<bool> stopping = false;
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    stopping = true;
    (*service)->Stop();
  });
  const std::string& host = request.server.host;
  std::printf("Listening on http://%s:%d\n", host.c_str(), (*service)->port());
  if (request.web_root.empty()) {
    std::printf(
        "Dashboard: not built (run `npm ci && npm run build` in web/, or give --web-root)\n");
  } else {
    std::printf("Dashboard: http://%s:%d/\n", host.c_str(), (*service)->port());
  }
  std::printf("%s", banner.c_str());
  std::fflush(stdout);
  const common::Status served = (*service)->Serve();
  if (!stopping) pthread_kill(waiter.native_handle(), SIGTERM);  // wake the waiter
  waiter.join();
  if (!served.ok() && !stopping) return ReportError(served);
  std::fprintf(stderr, "Stopped.\n");
  return 0;
}

std::function<int()> AddServeCommand(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Serve the API (metrics, lists, the push API, health) until SIGTERM or SIGINT");
  cmd->add_option("--listen", flags->listen, "HOST:PORT to listen on (port 0: any free one)")
      ->capture_default_str();
  AddStoreOptions(cmd, &flags->store);
  cmd->add_option("--config", flags->config,
                  "Settings file (default: leadline.toml beside the store, when it exists)");
  cmd->add_flag("--analytics", flags->analytics,
                "Keep the analytics tables BI tools read (docs/bi.md) current: refresh them at "
                "start and whenever new data lands");
  cmd->add_option("--looker-datagroup", flags->looker_datagroup,
                  "Trigger this Looker datagroup (`leadline looker connect` first) after each "
                  "analytics refresh that changed rows and on POST /v1/bi/refresh; implies "
                  "--analytics");
  cmd->add_option("--looker-model", flags->looker_model,
                  "The LookML model of --looker-datagroup, when several have one of that name");
  cmd->add_option("--role", flags->role,
                  "What this server does: all, api (HTTP only: the API, the dashboard, webhook "
                  "intake) or worker (background work only: applying webhooks, the "
                  "reconciliation sync; answers /healthz, /readyz and /metrics)")
      ->capture_default_str();
  cmd->add_option("--work-lease", flags->work_lease,
                  "How long a claim on background work holds without renewal; a stopped "
                  "server's work is taken over by the others after it")
      ->capture_default_str();
  cmd->add_option("--feedback-debounce", flags->feedback_debounce,
                  "How long after a pull request's last event its feedback is posted (events "
                  "within it make one post; docs/feedback.md)")
      ->capture_default_str();
  cmd->add_option("--feedback-retry", flags->feedback_retry,
                  "How long after a failed feedback post it is tried again (doubling each time, "
                  "up to an hour)")
      ->capture_default_str();
  cmd->add_option("--feedback-max-age", flags->feedback_max_age,
                  "How long a feedback post may wait in the outbox before it is dropped "
                  "unposted (counted in `feedback status`), or off")
      ->capture_default_str();
  cmd->add_option("--reconcile-every", flags->reconcile_every,
                  "How often every selected repository is synced to catch what webhooks missed "
                  "(or off)")
      ->capture_default_str();
  cmd->add_option("--audit-retention", flags->audit_retention,
                  "How long the audit log keeps calls and refusal counts (pruned hourly)")
      ->capture_default_str();
  cmd->add_option("--webhook-retention", flags->webhook_retention,
                  "How long an applied webhook delivery's row is kept (pruned hourly)")
      ->capture_default_str();
  cmd->add_option("--webhook-body-retention", flags->webhook_body_retention,
                  "How long an applied webhook delivery's body is kept (pruned hourly)")
      ->capture_default_str();
  cmd->add_option(
         "--threads", flags->threads,
         "Threads that run request handlers (0: four per core, at least 8; on PostgreSQL at "
         "least eight per store connection)")
      ->capture_default_str();
  cmd->add_option("--max-body-kb", flags->max_body_kb,
                  "Largest request body accepted (after gzip inflation), in KiB; larger ones get "
                  "413")
      ->capture_default_str();
  cmd->add_option("--header-timeout", flags->header_timeout,
                  "Deadline for a request's whole header, from its first byte (a body gets this "
                  "plus a second per 64 KiB)")
      ->capture_default_str();
  cmd->add_option("--idle-timeout", flags->idle_timeout,
                  "How long an idle keep-alive connection stays open")
      ->capture_default_str();
  cmd->add_option("--max-connections", flags->max_connections,
                  "Open connections at most; more get 503 (0: what the open-file limit allows)")
      ->capture_default_str();
  cmd->add_option("--max-connections-per-client", flags->max_connections_per_client,
                  "Open connections from one client address at most; more get 503 (raise it "
                  "behind a reverse proxy)")
      ->capture_default_str();
  cmd->add_option("--max-sign-ins-per-client", flags->max_sign_ins_per_client,
                  "People's sign-ins one client address may start in 10 minutes; more get 429 "
                  "(0: no limit, behind a reverse proxy that limits clients itself)")
      ->capture_default_str();
  cmd->add_option("--max-request-memory-mb", flags->max_request_memory_mb,
                  "Memory that all requests being read and handled may hold together, in MiB; "
                  "past it requests get 503 with Retry-After")
      ->capture_default_str();
  flags->store_connections_flag = cmd->add_option(
      "--store-connections", flags->store_connections,
      "Connections to a PostgreSQL store that the request threads share, 1 to 64 (default: "
      "--threads, at most 8); a SQLite store keeps one");
  cmd->add_option("--web-root", flags->web_root,
                  "The dashboard's built files (default: web/ beside the program, else the "
                  "source tree's web/dist)");
  cmd->add_option("--graphql-allow-list", flags->graphql_allow_list,
                  "An Apollo persisted query manifest: /graphql runs only its documents "
                  "(default: any document, and automatic persisted queries)");
  return [cmd, flags]() { return cmd->parsed() ? RunServe(*flags) : -1; };
}

}  // namespace leadline::cli
