#include "app/incident_connections.h"

#include <algorithm>
#include <map>
#include <utility>

#include "common/text.h"
#include "sources/registry/registry.h"
#include "store/store.h"
#include "store/store_url.h"

namespace leadline::app {
namespace {

using common::Result;
using common::Status;

// A walk after the first goes back this far before the last one's end: incidents PagerDuty
// records a little late, and changes to the newest, are read again.
constexpr common::Seconds kIncrementalOverlap = common::kDay;

Status CheckCounts(const std::vector<std::string>& counts) {
  if (counts.size() > kMaxCountedSeverities) {
    return Status::InvalidArgument("--count is given " + std::to_string(counts.size()) +
                                   " times; at most " + std::to_string(kMaxCountedSeverities) +
                                   " severities may count");
  }
  for (const std::string& count : counts) {
    if (count.empty() || count.size() > 64 || std::any_of(count.begin(), count.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x21 || c == 0x7f;
        })) {
      return Status::InvalidArgument("--count '" + count +
                                     "' is not a severity: give a priority such as P1, an "
                                     "urgency (high, low), or * for every severity");
    }
  }
  return Status::Ok();
}

struct IncidentConnections {
  std::unique_ptr<store::Store> store;
  std::vector<model::Connection> connections;  // incident tools only
  auth::SecretBox box;
};

Result<IncidentConnections> OpenIncidentConnections(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(paths));
  IncidentConnections out{std::move(opened.store), {}, opened.box};
  for (model::Connection& connection : opened.connections) {
    if (model::IsIncidentTool(connection.provider)) out.connections.push_back(connection);
  }
  if (out.connections.empty()) {
    return Status::NotFound(
        "no incident tool is connected to '" + store::RedactPassword(paths.store) +
        "': add one with `leadline connect pagerduty`, `leadline connect incidentio`, `leadline "
        "connect jsm` or `leadline connect opsgenie`");
  }
  return out;
}

std::string NameOf(const std::vector<model::Connection>& connections, std::int64_t id) {
  for (const model::Connection& connection : connections) {
    if (connection.id == id) return connection.name;
  }
  return "connection " + std::to_string(id);
}

Result<IncidentConnectionSync> SyncOne(store::Store& store, const model::Connection& connection,
                                       const std::string& secret,
                                       const IncidentSyncOptions& options,
                                       ConnectionClients& clients) {
  const sources::IncidentConnector* tool = sources::FindIncidentConnector(connection.provider);
  const sources::Connector* connector = sources::FindConnector(connection.provider);
  if (tool == nullptr || connector == nullptr) {
    return Status::Internal(connection.name + " has no incident connector");
  }
  const sources::ConnectionSettings settings = SettingsFor(connection, secret);
  IncidentConnectionSync out{connection.name, Status::Ok(), {}, 0};
  if (options.restart) {
    auto state = store.incidents().LoadIncidentConnection(connection.id);
    if (state.ok() && state->has_value()) {
      LEADLINE_RETURN_IF_ERROR(store.incidents().SaveIncidentCursor(connection.id, ""));
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<model::IncidentConnectionState> state,
                            store.incidents().LoadIncidentConnection(connection.id));
  if (!state) {
    return Status::FailedPrecondition(connection.name +
                                      " has no stored severities; connect it again with "
                                      "`leadline connect " +
                                      std::string(model::ProviderName(connection.provider)) + "`");
  }
  const common::UnixSeconds now = common::NowUnixSeconds();
  if (options.only_begun && !tool->InsideWalk(state->cursor) && !tool->WalkEnd(state->cursor)) {
    return Status::FailedPrecondition("the first `leadline incidents sync` of " + connection.name +
                                      " has not run yet");
  }
  if (!tool->InsideWalk(state->cursor)) {
    out.since = options.since;
    if (const auto end = tool->WalkEnd(state->cursor)) {
      out.since = std::max<common::UnixSeconds>(0, *end - kIncrementalOverlap);
      // Incidents still open when last read may have been resolved since.
      LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Incident> stored,
                                store.incidents().LoadIncidents());
      for (const model::Incident& incident : stored) {
        if (incident.connection_id == connection.id && !incident.resolved_at) {
          out.since = std::min(out.since, incident.started_at);
        }
      }
    }
  }
  http::HttpClient& client = clients.For(
      connection, static_cast<std::uint32_t>(connector->DefaultRequestsPerHour(settings)));
  ingest::IncidentSyncRequest request{connection.id, out.since, now, nullptr};
  if (options.after_page) {
    request.after_page = [&](const ingest::IncidentSyncCounts& counts) {
      options.after_page(connection.name, counts);
    };
  }
  auto synced = ingest::SyncIncidents(store, client, *tool, settings, request);
  if (synced.ok()) {
    out.synced = *synced;
  } else {
    out.status = synced.status().WithContext(connection.name);
  }
  return out;
}

}  // namespace

Result<IncidentConnectOutcome> ConnectIncidentTool(const config::Paths& paths,
                                                   const sources::ConnectionSettings& settings,
                                                   const std::vector<std::string>& counts,
                                                   http::HttpClient& client,
                                                   const std::string& webhook_secret) {
  LEADLINE_RETURN_IF_ERROR(CheckCounts(counts));
  const sources::IncidentConnector* tool = sources::FindIncidentConnector(settings.provider);
  if (tool == nullptr) {
    return Status::InvalidArgument(std::string(model::ProviderTitle(settings.provider)) +
                                   " is not an incident tool");
  }
  // Read before anything is stored: a key that cannot list services or priorities stores nothing.
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::IncidentService> services,
                            tool->ListServices(client, settings));
  IncidentConnectOutcome out;
  out.counts = counts;
  if (out.counts.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(out.counts, tool->DefaultCounts(client, settings));
  }
  LEADLINE_ASSIGN_OR_RETURN(out.connected, Connect(paths, settings, client));
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store->Begin());
  LEADLINE_RETURN_IF_ERROR(
      store->incidents().UpsertIncidentServices(out.connected.connection.id, services));
  LEADLINE_RETURN_IF_ERROR(
      store->incidents().SaveIncidentCounts(out.connected.connection.id, out.counts));
  if (!webhook_secret.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(const auth::SecretBox box,
                              auth::SecretBox::FromEnvironmentOrKeyFile(paths.key_file));
    LEADLINE_RETURN_IF_ERROR(store->connections().SetWebhookSecret(out.connected.connection.id,
                                                                   box.Seal(webhook_secret)));
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  out.services = services.size();
  return out;
}

namespace {

// The stored services with their mappings as they apply, and each one's stored incidents.
Result<std::vector<ListedService>> StoredServices(const IncidentConnections& opened,
                                                  const engine::ConfiguredServices& configured) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::IncidentService> stored,
                            opened.store->incidents().LoadIncidentServices(0));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Incident> incidents,
                            opened.store->incidents().LoadIncidents());
  std::map<std::pair<std::int64_t, std::string>, std::size_t> per_service;
  for (const model::Incident& incident : incidents) {
    if (incident.connection_id != 0) ++per_service[{incident.connection_id, incident.service}];
  }
  std::vector<ListedService> out;
  for (model::IncidentService service : stored) {
    const std::string* pattern = engine::ConfiguredPattern(configured, service);
    if (pattern != nullptr) service.repos = *pattern;
    const auto count = per_service.find({service.connection_id, service.id});
    out.push_back({NameOf(opened.connections, service.connection_id), std::move(service),
                   count == per_service.end() ? 0 : count->second, pattern != nullptr});
  }
  return out;
}

}  // namespace

Result<std::vector<ListedService>> ListServices(const config::Paths& paths,
                                                http::HttpClient& client, bool refresh,
                                                const engine::ConfiguredServices& configured) {
  LEADLINE_ASSIGN_OR_RETURN(IncidentConnections opened, OpenIncidentConnections(paths));
  if (refresh) {
    for (const model::Connection& connection : opened.connections) {
      LEADLINE_ASSIGN_OR_RETURN(const std::string secret,
                                opened.box.Open(connection.sealed_secret));
      const sources::IncidentConnector* tool = sources::FindIncidentConnector(connection.provider);
      if (tool == nullptr) continue;
      auto services = tool->ListServices(client, SettingsFor(connection, secret));
      if (!services.ok()) return services.status().WithContext(connection.name);
      LEADLINE_RETURN_IF_ERROR(
          opened.store->incidents().UpsertIncidentServices(connection.id, *services));
    }
  }
  return StoredServices(opened, configured);
}

Result<std::vector<ListedService>> UnmappedServicesWithIncidents(
    const config::Paths& paths, const engine::ConfiguredServices& configured) {
  auto opened = OpenIncidentConnections(paths);
  if (!opened.ok()) {
    if (opened.status().code() == common::StatusCode::kNotFound) {
      return std::vector<ListedService>();  // no incident tool: nothing to map
    }
    return opened.status();
  }
  LEADLINE_ASSIGN_OR_RETURN(std::vector<ListedService> services,
                            StoredServices(*opened, configured));
  std::erase_if(services, [](const ListedService& listed) {
    return !listed.service.repos.empty() || listed.incidents == 0;
  });
  return services;
}

Result<model::IncidentService> FindService(const std::vector<model::IncidentService>& stored,
                                           const std::string& service) {
  std::vector<model::IncidentService> matches;
  for (const model::IncidentService& candidate : stored) {
    if (candidate.id == service) matches = {candidate};
  }
  if (matches.empty()) {
    for (const model::IncidentService& candidate : stored) {
      if (common::EqualsIgnoringCase(candidate.name, service)) matches.push_back(candidate);
    }
  }
  if (matches.empty()) {
    return Status::NotFound("no service '" + service +
                            "' in the connected incident tools; `leadline services list` names "
                            "them (by id or name)");
  }
  if (matches.size() > 1) {
    std::string ids;
    for (const model::IncidentService& match : matches) ids += " " + match.id;
    return Status::InvalidArgument("several services are named '" + service +
                                   "'; name one by its id:" + ids);
  }
  return matches.front();
}

Result<ListedService> MapService(const config::Paths& paths, const std::string& service,
                                 const std::string& repos,
                                 const engine::ConfiguredServices& configured) {
  if (repos.empty() || repos.size() > kMaxPatternBytes) {
    return Status::InvalidArgument("--repos must be a pattern of 1 to " +
                                   std::to_string(kMaxPatternBytes) +
                                   " characters over repository locations, such as "
                                   "'acme/api' or 'acme/platform/*'");
  }
  LEADLINE_ASSIGN_OR_RETURN(IncidentConnections opened, OpenIncidentConnections(paths));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::IncidentService> stored,
                            opened.store->incidents().LoadIncidentServices(0));
  LEADLINE_ASSIGN_OR_RETURN(model::IncidentService mapped, FindService(stored, service));
  if (const std::string* pattern = engine::ConfiguredPattern(configured, mapped)) {
    return Status::FailedPrecondition("the service '" + mapped.name + "' (" + mapped.id +
                                      ") is mapped to '" + *pattern +
                                      "' by [services] in leadline.toml, which wins over a stored "
                                      "mapping: change it there");
  }
  LEADLINE_ASSIGN_OR_RETURN(const bool found, opened.store->incidents().MapIncidentService(
                                                  mapped.connection_id, mapped.id, repos));
  if (!found) return Status::NotFound("the service '" + service + "' is no longer stored");
  mapped.repos = repos;
  return ListedService{NameOf(opened.connections, mapped.connection_id), mapped};
}

Result<std::vector<IncidentConnectionSync>> SyncIncidentConnections(
    const IncidentSyncOptions& options, ConnectionClients& clients) {
  LEADLINE_ASSIGN_OR_RETURN(IncidentConnections opened, OpenIncidentConnections(options.paths));
  std::vector<IncidentConnectionSync> out;
  for (const model::Connection& connection : opened.connections) {
    if (options.only_connection != 0 && connection.id != options.only_connection) continue;
    auto secret = opened.box.Open(connection.sealed_secret);
    Result<IncidentConnectionSync> synced =
        secret.ok() ? SyncOne(*opened.store, connection, *secret, options, clients)
                    : Result<IncidentConnectionSync>(secret.status());
    if (synced.ok()) {
      out.push_back(std::move(synced).value());
    } else {
      // A precondition's message names the connection already.
      out.push_back({connection.name,
                     synced.status().code() == common::StatusCode::kFailedPrecondition
                         ? synced.status()
                         : synced.status().WithContext(connection.name),
                     {},
                     0});
    }
  }
  return out;
}

}  // namespace leadline::app
