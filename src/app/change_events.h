// Production deployments sent to PagerDuty as change events, so that responders see what shipped
// on the service they are paged for (docs/connecting.md, "Deployments as change events"):
//  - `leadline services send-changes SERVICE --routing-key-file F` turns a PagerDuty service on,
//    with the Integration Key of an Events API v2 integration on it (sealed like connections'
//    secrets, never shown); `--stop` turns it off;
//  - QueueDeploymentChanges finds, for each service that sends, the production deployments of
//    the repositories its mapping covers (the platform's records as reports count them, CI's
//    pushes included; merges counted as deployments where there are none are not sent) that
//    finished after the service was turned on and at most kMostChangeEventAge before they are
//    found: a deployment Leadline learns of later (a backfill, a first sync) is history, not
//    news. Each is queued once (store/change_event_outbox.h), whichever path stored it;
//  - SendDueChangeEvents sends what is due; `leadline serve` does both in the background
//    (change_event_worker.h), `leadline services changes --send` once.
// Single-threaded per store; owns what it opens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "auth/secret_box.h"
#include "common/clock.h"
#include "config/paths.h"
#include "config/settings.h"
#include "http/http_client.h"
#include "model/incident_service.h"
#include "store/store.h"

namespace leadline::app {

inline constexpr common::Seconds kMostChangeEventAge = common::kDay;

struct ChangeEventTarget {
  std::string connection;  // the connection's name
  model::IncidentService service;
};

// Turns sending on for the PagerDuty service `service` (its id, or its name without case) of
// `connection` (its name; empty: any PagerDuty connection), with `routing_key` (checked, then
// sealed) and `events_url` (empty: PagerDuty's). Again: a new key or URL, still sending since it
// was first turned on; failed events are tried again.
common::Result<ChangeEventTarget> StartSendingChanges(const config::Paths& paths,
                                                      const std::string& service,
                                                      const std::string& connection,
                                                      const std::string& routing_key,
                                                      const std::string& events_url);
// Turns it off, dropping its events; NotFound when the service does not send.
common::Result<ChangeEventTarget> StopSendingChanges(const config::Paths& paths,
                                                     const std::string& service,
                                                     const std::string& connection);

// Queues the change events found at `now` (see above); returns how many were new. `settings`
// give [services] mappings, production environments and the dashboard's public URL (linked from
// each event when set).
common::Result<std::size_t> QueueDeploymentChanges(store::Store& store,
                                                   const config::Settings& settings,
                                                   common::UnixSeconds now);

struct ChangeEventSendOptions {
  std::string owner;  // who claims: the server's id, or this command's
  common::Seconds lease = 120;
  common::Seconds retry_after = 30;  // the first retry's delay, doubled for each after it
  std::int64_t most_attempts = 8;
  std::size_t batch = 20;  // rows claimed at a time
  // Times the batch against its lease (MayPostInLease): a row after the first is sent only while
  // half the lease is left.
  common::Clock* clock = &common::SystemClock();
};

struct ChangeEventDrain {
  std::int64_t sent = 0;
  std::int64_t failed = 0;  // this time; refused ones are failed for good, others retried
  // The batch stopped with half its lease gone; the rows left are still this sender's and due,
  // and its next claim takes them back at once.
  bool cut_short = false;
};

// Claims the events due at `now` and sends each with its service's routing key (opened with
// `box`) through `client`; a refusal (400) fails the event at once, other failures are retried
// after a backoff that doubles up to an hour, until the most attempts. `log` (may be empty) is
// told of each failure, without the key.
common::Result<ChangeEventDrain> SendDueChangeEvents(
    store::Store& store, const auth::SecretBox& box, http::HttpClient& client,
    const ChangeEventSendOptions& options, common::UnixSeconds now,
    const std::function<void(const std::string&)>& log = {});

struct ChangeEventServiceStatus {
  std::string connection;
  std::string service_id;
  std::string service_name;
  std::string repos;                 // the mapping as it applies; empty: unmapped, nothing to send
  store::ChangeEventService counts;  // its sealed key cleared
};

struct ChangeEventStatus {
  std::vector<ChangeEventServiceStatus> services;
  std::vector<store::ChangeEventRow> unsent;  // queued and failed, oldest first
};

inline constexpr std::size_t kMostStatusChangeEvents = 1000;

common::Result<ChangeEventStatus> LoadChangeEventStatus(
    store::Store& store, const engine::ConfiguredServices& configured);

}  // namespace leadline::app
