// A deployment as a PagerDuty Change Event (Events API v2): the event's JSON, and sending it to
// `{events_url}/v2/change/enqueue` with the routing key of an integration on the service (the key
// is the only credential: there is no Authorization header, and the key is never put in a
// message). PagerDuty answers 202; a 400 is an event it will never take (InvalidArgument, as is
// any other 4xx but 429: not worth retrying), while a 429, a 5xx or no answer may pass
// (Unavailable). PagerDuty does not deduplicate change events: sending one once is the caller's
// part (store/change_event_outbox.h). Stateless; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "http/http_client.h"

namespace leadline::sources::pagerduty {

inline constexpr char kPagerDutyEventsUrl[] = "https://events.pagerduty.com";
inline constexpr std::size_t kMostSummaryBytes = 1024;  // PagerDuty's bound

struct DeploymentChange {
  std::string repository;  // "acme/api"
  std::string environment;
  std::string ref;  // release or tag name; may be empty
  std::string sha;
  bool succeeded = true;
  common::UnixSeconds finished_at = 0;
  std::string deployment_key;  // Leadline's natural key of the deployment
  std::string link;            // a page about it (Leadline's dashboard); empty: none
};

// "Deployed acme/api v2.4.1 (3f2a9c1) to production", or "Deployment of ... failed", at most
// kMostSummaryBytes.
std::string ChangeSummary(const DeploymentChange& change);

// The event's JSON without its routing key: payload {summary, timestamp (finished_at), source
// "leadline", custom_details {repository, environment, ref, commit, status,
// leadline_deployment}}, and links when there is one.
std::string ChangeEventBody(const DeploymentChange& change);

// Ok when `routing_key` looks like an integration key: 32 letters and digits. The error says
// where to find one, never echoing what was given.
common::Status CheckRoutingKey(const std::string& routing_key);

// Sends `body` (ChangeEventBody) with `routing_key` to `events_url` (kPagerDutyEventsUrl, or a
// stand-in's).
common::Status SendChangeEvent(http::HttpClient& client, const std::string& events_url,
                               const std::string& routing_key, const std::string& body);

}  // namespace leadline::sources::pagerduty
