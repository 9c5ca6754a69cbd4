#include "cli/incident_tool_commands.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/connection_clients.h"
#include "app/incident_connections.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "config/settings.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"
#include "store/store.h"

namespace leadline::cli {
namespace {

struct IncidentToolFlags {
  StoreOptions store;
  std::string format = "text";
  bool cached = false;
  std::string service;
  std::string repos;
  std::string since = "365d";
  bool restart = false;
};

int RunServicesList(const IncidentToolFlags& flags) {
  auto settings = config::LoadSettings("", flags.store.paths.settings_file);
  if (!settings.ok()) return ReportError(settings.status());
  http::CurlHttpClient curl;
  http::RetryingHttpClient client(curl, {}, 0);
  auto services = app::ListServices(flags.store.paths, client, !flags.cached, settings->services());
  if (!services.ok()) return ReportError(services.status());
  auto store = store::OpenStore(flags.store.paths.store);
  if (!store.ok()) return ReportError(store.status());
  auto senders = (*store)->change_events().LoadChangeEventServices();
  if (!senders.ok()) return ReportError(senders.status());
  const auto sends_changes = [&](const model::IncidentService& service) {
    return std::any_of(senders->begin(), senders->end(), [&](const auto& sender) {
      return sender.connection_id == service.connection_id && sender.service_id == service.id;
    });
  };
  if (flags.format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const app::ListedService& listed : *services) {
      out.push_back(
          {{"connection", listed.connection},
           {"id", listed.service.id},
           {"name", listed.service.name},
           {"repos", listed.service.repos.empty() ? nlohmann::ordered_json(nullptr)
                                                  : nlohmann::ordered_json(listed.service.repos)},
           {"configured", listed.configured},
           {"incidents", listed.incidents},
           {"sends_changes", sends_changes(listed.service)}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  if (services->empty()) {
    std::printf("The connected incident tools list no services.\n");
    return 0;
  }
  std::size_t unmapped = 0;
  std::size_t unmapped_incidents = 0;
  for (const app::ListedService& listed : *services) {
    if (listed.service.repos.empty()) {
      ++unmapped;
      unmapped_incidents += listed.incidents;
    }
    std::printf("%-10s %-32s -> %-20s %6zu incidents   (%s)%s%s\n", listed.service.id.c_str(),
                listed.service.name.c_str(),
                listed.service.repos.empty() ? "unmapped" : listed.service.repos.c_str(),
                listed.incidents, listed.connection.c_str(),
                listed.configured ? "  [leadline.toml]" : "",
                sends_changes(listed.service) ? "  [sends changes]" : "");
  }
  if (unmapped > 0) {
    std::printf(
        "%zu of %zu services unmapped, with %zu stored incidents that count nowhere; map "
        "one with `leadline services map SERVICE --repos PATTERN`.\n",
        unmapped, services->size(), unmapped_incidents);
  }
  return 0;
}

int RunServicesMap(const IncidentToolFlags& flags) {
  auto settings = config::LoadSettings("", flags.store.paths.settings_file);
  if (!settings.ok()) return ReportError(settings.status());
  auto mapped =
      app::MapService(flags.store.paths, flags.service, flags.repos, settings->services());
  if (!mapped.ok()) return ReportError(mapped.status());
  std::printf("%s (%s, %s): its incidents count against the repositories matching '%s'.\n",
              mapped->service.name.c_str(), mapped->service.id.c_str(), mapped->connection.c_str(),
              mapped->service.repos.c_str());
  return 0;
}

int RunIncidentsSync(const IncidentToolFlags& flags) {
  auto window = common::ParseDurationFlag(flags.since);
  if (!window.ok()) return ReportError(window.status().WithContext("--since"));
  http::CurlHttpClient curl;
  const auto say_wait = [](const std::string& why) {
    std::fprintf(stderr, "leadline: waiting: %s\n", why.c_str());
  };
  auto clients = app::ConnectionClients::SharedThroughStore(curl, flags.store.paths, {},
                                                            common::SystemClock(), say_wait);
  if (!clients.ok()) return ReportError(clients.status());
  app::IncidentSyncOptions options;
  options.paths = flags.store.paths;
  options.since = common::NowUnixSeconds() - *window;
  options.restart = flags.restart;
  auto synced = app::SyncIncidentConnections(options, **clients);
  if (!synced.ok()) return ReportError(synced.status());
  int failed = 0;
  for (const app::IncidentConnectionSync& one : *synced) {
    if (!one.status.ok()) {
      ++failed;
      std::fprintf(stderr, "leadline: error: %s\n", one.status.message().c_str());
      continue;
    }
    const ingest::IncidentSyncCounts& s = one.synced;
    std::printf(
        "%s: %lld pages, %lld incidents read (%lld new or changed), %lld test incidents "
        "left out, %s\n",
        one.connection.c_str(), static_cast<long long>(s.pages), static_cast<long long>(s.read),
        static_cast<long long>(s.changed), static_cast<long long>(s.tests_left_out),
        s.resumed ? "resuming the walk a cut sync left"
                  : ("from " + common::FormatRfc3339(one.since)).c_str());
    for (const std::string& note : s.notes) {
      std::printf("%s: note: %s\n", one.connection.c_str(), note.c_str());
    }
  }
  const http::RequestCounts counts = (*clients)->Counts();
  std::printf("Synced %zu of %zu incident connections: %llu API requests (%llu retried).\n",
              synced->size() - static_cast<std::size_t>(failed), synced->size(),
              static_cast<unsigned long long>(counts.requests),
              static_cast<unsigned long long>(counts.retries));
  return failed == 0 ? 0 : 1;
}

}  // namespace

std::vector<std::function<int()>> AddIncidentToolCommands(CLI::App& app) {
  auto flags = std::make_shared<IncidentToolFlags>();
  CLI::App* services = app.add_subcommand(
      "services", "Incident tools' services, and the repositories their incidents count against");
  services->require_subcommand(1);
  CLI::App* list = services->add_subcommand("list", "List each incident tool's services");
  list->add_option("--format", flags->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  list->add_flag("--cached", flags->cached, "Show what is stored, without asking the tools");
  AddStoreOptions(list, &flags->store);
  CLI::App* map =
      services->add_subcommand("map", "Say which repositories a service's incidents count against");
  map->add_option("service", flags->service, "The service's id or name")->required();
  map->add_option("--repos", flags->repos,
                  "Pattern over repository locations ('acme/api', 'acme/platform/*')")
      ->required();
  AddStoreOptions(map, &flags->store);

  CLI::App* incidents = app.get_subcommand("incidents");
  CLI::App* sync = incidents->add_subcommand(
      "sync",
      "Read incidents from the connected incident tools (resumable backfill, then "
      "incremental)");
  sync->add_option("--since", flags->since, "How far back the first sync goes")
      ->capture_default_str();
  sync->add_flag("--restart", flags->restart,
                 "Forget where the last sync stood and walk again from --since");
  AddStoreOptions(sync, &flags->store);
  return {
      [list, flags]() { return list->parsed() ? RunServicesList(*flags) : -1; },
      [map, flags]() { return map->parsed() ? RunServicesMap(*flags) : -1; },
      [sync, flags]() { return sync->parsed() ? RunIncidentsSync(*flags) : -1; },
  };
}

}  // namespace leadline::cli
