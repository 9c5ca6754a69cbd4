#include "app/change_events.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <utility>

#include "app/connections.h"
#include "app/feedback_worker.h"
#include "app/incident_connections.h"
#include "common/text.h"
#include "engine/deployment_selection.h"
#include "http/pager.h"
#include "sources/pagerduty/change_event.h"

namespace leadline::app {
namespace {

using common::Result;
using common::Status;

constexpr std::size_t kMostUrlBytes = 2048;

Result<std::string> EventsUrl(const std::string& given) {
  if (given.empty()) return std::string(sources::pagerduty::kPagerDutyEventsUrl);
  const bool plain = std::none_of(given.begin(), given.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
  });
  if (given.size() > kMostUrlBytes || !plain ||
      !(given.starts_with("https://") || given.starts_with("http://"))) {
    return Status::InvalidArgument("--events-url '" + given.substr(0, 200) +
                                   "' is not an http or https URL of at most 2048 bytes");
  }
  return common::WithoutTrailingSlashes(given);
}

std::string NameOf(const std::vector<model::Connection>& connections, std::int64_t id) {
  for (const model::Connection& connection : connections) {
    if (connection.id == id) return connection.name;
  }
  return "connection " + std::to_string(id);
}

// The PagerDuty service `service` names, of `connection` (any PagerDuty connection when empty).
Result<ChangeEventTarget> FindPagerDutyService(const OpenedConnections& opened,
                                               const std::string& service,
                                               const std::string& connection) {
  std::vector<std::int64_t> ids;
  for (const model::Connection& candidate : opened.connections) {
    if (candidate.provider == model::Provider::kPagerDuty &&
        (connection.empty() || candidate.name == connection)) {
      ids.push_back(candidate.id);
    }
  }
  if (ids.empty()) {
    return Status::NotFound(
        connection.empty()
            ? "no PagerDuty connection: change events go to PagerDuty services; add one with "
              "`leadline connect pagerduty --token-file F`"
            : "no PagerDuty connection named '" + connection + "'; `leadline check` lists them");
  }
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::IncidentService> stored,
                            opened.store->incidents().LoadIncidentServices(0));
  std::erase_if(stored, [&](const model::IncidentService& candidate) {
    return std::find(ids.begin(), ids.end(), candidate.connection_id) == ids.end();
  });
  LEADLINE_ASSIGN_OR_RETURN(model::IncidentService found, FindService(stored, service));
  return ChangeEventTarget{NameOf(opened.connections, found.connection_id), std::move(found)};
}

bool Matches(const std::string& pattern, const std::string& location) {
  return !pattern.empty() && fnmatch(pattern.c_str(), location.c_str(), 0) == 0;
}

std::string DashboardLink(const std::string& public_url, const std::string& location) {
  if (public_url.empty()) return "";
  return public_url + "/?repo=" + http::EncodeQueryValue(location);
}

}  // namespace

Result<ChangeEventTarget> StartSendingChanges(const config::Paths& paths,
                                              const std::string& service,
                                              const std::string& connection,
                                              const std::string& routing_key,
                                              const std::string& events_url) {
  LEADLINE_RETURN_IF_ERROR(sources::pagerduty::CheckRoutingKey(routing_key));
  LEADLINE_ASSIGN_OR_RETURN(const std::string url, EventsUrl(events_url));
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(paths));
  LEADLINE_ASSIGN_OR_RETURN(ChangeEventTarget target,
                            FindPagerDutyService(opened, service, connection));
  LEADLINE_RETURN_IF_ERROR(opened.store->change_events().EnableChangeEvents(
      target.service.connection_id, target.service.id, opened.box.Seal(routing_key), url,
      common::NowUnixSeconds()));
  return target;
}

Result<ChangeEventTarget> StopSendingChanges(const config::Paths& paths, const std::string& service,
                                             const std::string& connection) {
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(paths));
  LEADLINE_ASSIGN_OR_RETURN(ChangeEventTarget target,
                            FindPagerDutyService(opened, service, connection));
  LEADLINE_ASSIGN_OR_RETURN(const bool was_on,
                            opened.store->change_events().DisableChangeEvents(
                                target.service.connection_id, target.service.id));
  if (!was_on) {
    return Status::NotFound(target.service.name + " (" + target.service.id +
                            ") does not send deployments as change events");
  }
  return target;
}

Result<std::size_t> QueueDeploymentChanges(store::Store& store, const config::Settings& settings,
                                           common::UnixSeconds now) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::ChangeEventService> sending,
                            store.change_events().LoadChangeEventServices());
  if (sending.empty()) return std::size_t{0};
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::IncidentService> services,
                            store.incidents().LoadIncidentServices(0));
  engine::ApplyConfiguredServices(settings.services(), services);
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repositories,
                            store.repositories().LoadConnectedRepositories());
  // Each repository's production deployments, read once for every service covering it.
  std::map<std::int64_t, std::vector<model::Deployment>> production;
  std::size_t queued = 0;
  for (const store::ChangeEventService& sender : sending) {
    const auto service = std::find_if(services.begin(), services.end(), [&](const auto& s) {
      return s.connection_id == sender.connection_id && s.id == sender.service_id;
    });
    if (service == services.end()) continue;
    const common::UnixSeconds since = std::max(sender.enabled_at, now - kMostChangeEventAge);
    for (const model::Repository& repo : repositories) {
      if (!Matches(service->repos, repo.location)) continue;
      auto found = production.find(repo.id);
      if (found == production.end()) {
        LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PlatformDeployment> records,
                                  store.pipelines().LoadPlatformDeployments(repo.id));
        found =
            production
                .emplace(repo.id, engine::ProductionDeployments(
                                      records, settings.For(repo.location).production_environments))
                .first;
      }
      for (const model::Deployment& deployment : found->second) {
        if (deployment.finished_at < since || deployment.finished_at > now) continue;
        sources::pagerduty::DeploymentChange change;
        change.repository = repo.location;
        change.environment = deployment.environment;
        change.ref = deployment.ref;
        change.sha = deployment.sha;
        change.succeeded = deployment.status == model::DeploymentStatus::kSuccess;
        change.finished_at = deployment.finished_at;
        change.deployment_key = deployment.natural_key;
        change.link = DashboardLink(settings.webhook_public_url(), repo.location);
        LEADLINE_ASSIGN_OR_RETURN(
            const bool added,
            store.change_events().EnqueueChangeEvent(
                sender.connection_id, sender.service_id, repo.id, deployment.natural_key,
                sources::pagerduty::ChangeEventBody(change), now));
        queued += added ? 1 : 0;
      }
    }
  }
  return queued;
}

Result<ChangeEventDrain> SendDueChangeEvents(store::Store& store, const auth::SecretBox& box,
                                             http::HttpClient& client,
                                             const ChangeEventSendOptions& options,
                                             common::UnixSeconds now,
                                             const std::function<void(const std::string&)>& log) {
  ChangeEventDrain drain;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::ChangeEventRow> rows,
                            store.change_events().ClaimDueChangeEvents(
                                options.owner, now, now + options.lease, options.batch));
  if (rows.empty()) return drain;
  const common::Clock::TimePoint claimed = options.clock->Now();
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::ChangeEventService> services,
                            store.change_events().LoadChangeEventServices());
  for (const store::ChangeEventRow& row : rows) {
    // An incident tool slow enough to keep a batch past its lease would otherwise let another
    // server take a late row and send it too (PagerDuty does not deduplicate change events).
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(options.clock->Now() - claimed).count();
    if (!MayPostInLease(0, options.lease, elapsed, &row == &rows.front())) {
      drain.cut_short = true;
      break;
    }
    const auto service = std::find_if(services.begin(), services.end(), [&](const auto& s) {
      return s.connection_id == row.connection_id && s.service_id == row.service_id;
    });
    Status sent = Status::NotFound("the service no longer sends change events");
    if (service != services.end()) {
      auto key = box.Open(service->sealed_routing_key);
      sent = key.ok()
                 ? sources::pagerduty::SendChangeEvent(client, service->events_url, *key, row.body)
                 : Status::FailedPrecondition(
                       "the routing key cannot be opened with the server's key; give it "
                       "again with `leadline services send-changes`");
    }
    if (sent.ok()) {
      LEADLINE_RETURN_IF_ERROR(
          store.change_events().FinishChangeEvent(row.id, options.owner, now).status());
      ++drain.sent;
      continue;
    }
    ++drain.failed;
    // Only what may pass is tried again: a refusal stays one.
    const bool hopeless = sent.code() != common::StatusCode::kUnavailable;
    if (log) {
      log("change event of " + row.location + " " + row.deployment_key + " to " + row.service_id +
          ": " + sent.message());
    }
    LEADLINE_RETURN_IF_ERROR(
        store.change_events()
            .FailChangeEvent(row.id, options.owner, sent.message(),
                             now + FeedbackBackoff(options.retry_after, row.attempts),
                             hopeless ? row.attempts + 1 : options.most_attempts)
            .status());
  }
  return drain;
}

Result<ChangeEventStatus> LoadChangeEventStatus(store::Store& store,
                                                const engine::ConfiguredServices& configured) {
  ChangeEventStatus out;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::ChangeEventService> sending,
                            store.change_events().LoadChangeEventServices());
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::IncidentService> services,
                            store.incidents().LoadIncidentServices(0));
  engine::ApplyConfiguredServices(configured, services);
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Connection> connections,
                            store.connections().LoadConnections());
  for (store::ChangeEventService counts : sending) {
    counts.sealed_routing_key.clear();
    ChangeEventServiceStatus status;
    status.connection = NameOf(connections, counts.connection_id);
    status.service_id = counts.service_id;
    const auto service = std::find_if(services.begin(), services.end(), [&](const auto& s) {
      return s.connection_id == counts.connection_id && s.id == counts.service_id;
    });
    if (service != services.end()) {
      status.service_name = service->name;
      status.repos = service->repos;
    }
    status.counts = std::move(counts);
    out.services.push_back(std::move(status));
  }
  LEADLINE_ASSIGN_OR_RETURN(out.unsent,
                            store.change_events().LoadUnsentChangeEvents(kMostStatusChangeEvents));
  return out;
}

}  // namespace leadline::app
