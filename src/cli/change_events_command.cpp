#include "cli/change_events_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/change_events.h"
#include "app/connections.h"
#include "app/sealed_secrets.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"

namespace leadline::cli {
namespace {

using nlohmann::ordered_json;

struct ChangeEventFlags {
  StoreOptions store;
  std::string service;
  std::string connection;
  std::string routing_key_file;
  std::string events_url;
  bool stop = false;
  bool send = false;
  std::string format = "text";
};

std::string Named(const app::ChangeEventTarget& target) {
  return target.service.name + " (" + target.service.id + ", " + target.connection + ")";
}

int RunSendChanges(const ChangeEventFlags& flags) {
  if (flags.stop) {
    auto stopped = app::StopSendingChanges(flags.store.paths, flags.service, flags.connection);
    if (!stopped.ok()) return ReportError(stopped.status());
    std::printf("%s no longer hears of deployments.\n", Named(*stopped).c_str());
    return 0;
  }
  if (flags.routing_key_file.empty()) {
    return ReportError(common::Status::InvalidArgument(
        "give --routing-key-file (the Integration Key of an Events API v2 integration on the "
        "service), or --stop"));
  }
  auto key = app::ReadSecretFile(flags.routing_key_file);
  if (!key.ok()) return ReportError(key.status());
  auto started = app::StartSendingChanges(flags.store.paths, flags.service, flags.connection, *key,
                                          flags.events_url);
  if (!started.ok()) return ReportError(started.status());
  std::printf(
      "%s: production deployments finished from now on are sent to PagerDuty as change "
      "events",
      Named(*started).c_str());
  if (started->service.repos.empty()) {
    std::printf(
        ", once the service is mapped to its repositories (`leadline services map %s "
        "--repos PATTERN`).\n",
        started->service.id.c_str());
  } else {
    std::printf(", of the repositories matching '%s'.\n", started->service.repos.c_str());
  }
  return 0;
}

std::string Time(common::UnixSeconds at) { return at == 0 ? "never" : common::FormatRfc3339(at); }

// Queues what is new and sends what is due, as the server would; the number that failed.
common::Result<std::int64_t> SendNow(store::Store& store, const config::Paths& paths,
                                     const config::Settings& settings) {
  LEADLINE_ASSIGN_OR_RETURN(const auth::SecretBox box, app::OpenCheckedKey(store, paths));
  const common::UnixSeconds now = common::NowUnixSeconds();
  LEADLINE_ASSIGN_OR_RETURN(const std::size_t queued,
                            app::QueueDeploymentChanges(store, settings, now));
  http::CurlHttpClient curl;
  http::RetryingHttpClient client(curl, http::InteractiveRetryPolicy(), 0);
  app::ChangeEventSendOptions options;
  options.owner = "leadline services changes:" + std::to_string(getpid());
  app::ChangeEventDrain total;
  for (;;) {
    // Each batch's lease from when it is claimed.
    LEADLINE_ASSIGN_OR_RETURN(
        const app::ChangeEventDrain drained,
        app::SendDueChangeEvents(store, box, client, options,
                                 std::max(now, common::NowUnixSeconds()),
                                 [](const std::string& line) {
                                   std::fprintf(stderr, "leadline: error: %s\n", line.c_str());
                                 }));
    total.sent += drained.sent;
    total.failed += drained.failed;
    if (drained.sent + drained.failed < static_cast<std::int64_t>(options.batch) &&
        !drained.cut_short) {
      break;
    }
  }
  std::printf("Queued %zu new change events; sent %lld, %lld failed.\n", queued,
              static_cast<long long>(total.sent), static_cast<long long>(total.failed));
  return total.failed;
}

int RunChanges(const ChangeEventFlags& flags) {
  auto settings = config::LoadSettings("", flags.store.paths.settings_file);
  if (!settings.ok()) return ReportError(settings.status());
  auto store = store::OpenStore(flags.store.paths.store);
  if (!store.ok()) return ReportError(store.status());
  std::int64_t failed = 0;
  if (flags.send) {
    auto sent = SendNow(**store, flags.store.paths, *settings);
    if (!sent.ok()) return ReportError(sent.status());
    failed = *sent;
  }
  auto status = app::LoadChangeEventStatus(**store, settings->services());
  if (!status.ok()) return ReportError(status.status());
  if (flags.format == "json") {
    ordered_json out = {{"services", ordered_json::array()}, {"unsent", ordered_json::array()}};
    for (const app::ChangeEventServiceStatus& s : status->services) {
      out["services"].push_back(
          {{"connection", s.connection},
           {"id", s.service_id},
           {"name", s.service_name},
           {"repos", s.repos.empty() ? ordered_json(nullptr) : ordered_json(s.repos)},
           {"events_url", s.counts.events_url},
           {"since", common::FormatRfc3339(s.counts.enabled_at)},
           {"sent", s.counts.sent},
           {"queued", s.counts.queued},
           {"failed", s.counts.failed},
           {"last_sent_at", s.counts.last_sent_at == 0
                                ? ordered_json(nullptr)
                                : ordered_json(common::FormatRfc3339(s.counts.last_sent_at))},
           {"last_error", s.counts.last_error}});
    }
    for (const store::ChangeEventRow& row : status->unsent) {
      out["unsent"].push_back({{"service", row.service_id},
                               {"repository", row.location},
                               {"deployment", row.deployment_key},
                               {"state", store::ChangeEventStateName(row.state)},
                               {"attempts", row.attempts},
                               {"queued_at", common::FormatRfc3339(row.queued_at)},
                               {"due_at", common::FormatRfc3339(row.due_at)},
                               {"last_error", row.last_error}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return failed == 0 ? 0 : 1;
  }
  if (status->services.empty()) {
    std::printf(
        "No service sends deployments as change events; turn one on with `leadline services "
        "send-changes SERVICE --routing-key-file F`.\n");
    return failed == 0 ? 0 : 1;
  }
  for (const app::ChangeEventServiceStatus& s : status->services) {
    std::printf(
        "%-10s %-24s -> %-16s sent %lld, queued %lld, failed %lld; last sent %s (%s, "
        "since %s)\n",
        s.service_id.c_str(), s.service_name.c_str(),
        s.repos.empty() ? "unmapped" : s.repos.c_str(), static_cast<long long>(s.counts.sent),
        static_cast<long long>(s.counts.queued), static_cast<long long>(s.counts.failed),
        Time(s.counts.last_sent_at).c_str(), s.connection.c_str(),
        common::FormatRfc3339(s.counts.enabled_at).c_str());
    if (!s.counts.last_error.empty()) {
      std::printf("           last error: %s\n", s.counts.last_error.c_str());
    }
  }
  for (const store::ChangeEventRow& row : status->unsent) {
    std::printf("%-6s %s %s to %s, %lld attempts%s%s\n", store::ChangeEventStateName(row.state),
                row.location.c_str(), row.deployment_key.c_str(), row.service_id.c_str(),
                static_cast<long long>(row.attempts),
                row.state == store::ChangeEventState::kQueued
                    ? (", next at " + common::FormatRfc3339(row.due_at)).c_str()
                    : "",
                row.last_error.empty() ? "" : (": " + row.last_error).c_str());
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

std::vector<std::function<int()>> AddChangeEventCommands(CLI::App& app) {
  auto flags = std::make_shared<ChangeEventFlags>();
  CLI::App* services = app.get_subcommand("services");
  CLI::App* send = services->add_subcommand(
      "send-changes",
      "Send a PagerDuty service the production deployments of its repositories "
      "as change events (or --stop)");
  send->add_option("service", flags->service, "The service's id or name")->required();
  CLI::Option* key = send->add_option(
      "--routing-key-file", flags->routing_key_file,
      "File holding the Integration Key of an Events API v2 integration on the service");
  send->add_option("--connection", flags->connection,
                   "The PagerDuty connection (its name), where several list the service");
  send->add_option("--events-url", flags->events_url,
                   "PagerDuty's Events API (default https://events.pagerduty.com)");
  send->add_flag("--stop", flags->stop, "Stop sending, dropping the events not sent")
      ->excludes(key);
  AddStoreOptions(send, &flags->store);
  CLI::App* changes = services->add_subcommand(
      "changes", "Show the change events each service sent, waits to send or failed to send");
  changes->add_flag("--send", flags->send,
                    "First queue the new deployments and send what is due, as `serve` does");
  changes->add_option("--format", flags->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  AddStoreOptions(changes, &flags->store);
  return {
      [send, flags]() { return send->parsed() ? RunSendChanges(*flags) : -1; },
      [changes, flags]() { return changes->parsed() ? RunChanges(*flags) : -1; },
  };
}

}  // namespace leadline::cli
