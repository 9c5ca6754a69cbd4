// PagerDutyDouble: a local stand-in for PagerDuty's REST API v2 on a real loopback port, for tests
// and benchmarks (never part of the product). It serves `/incidents` (since/until of at most six
// months, classic offset/limit/more paging capped at offset + limit = 10,000, sorted by creation),
// `/incidents/custom_fields`, `/incidents/{id}/custom_fields/values`,
// `/incidents/{id}/related_change_events` (404 for an unknown incident), `/services`, `/priorities`
// and `/users/me` in the shapes of PagerDuty's OpenAPI spec, checks "Authorization: Token
// token=..." (401 otherwise; an account key gets /users/me's 400), and answers 429 with Retry-After
// on demand. It also takes Events API v2 change events at `/v2/change/enqueue` (no Authorization:
// the body's routing_key; 202, or the status asked for by FailChangeEvents) and keeps those it
// accepted. Incidents are generated, one every `pace_seconds`, cycling through the services and
// priorities, with a test incident every `test_every`. Thread-safe: requests are served on the
// server's threads while tests read counters.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace leadline::testing {

struct PagerDutyService {
  std::string id;
  std::string name;
};

struct PagerDutyDoubleConfig {
  int port = 0;                                       // on 127.0.0.1; 0 for any free port
  std::string user_key = "u+user-key-0123456789";     // /users/me names its user
  std::string account_key = "acct-key-0123456789ab";  // /users/me answers 400
  std::vector<PagerDutyService> services = {
      {"PSVCAPI", "Checkout API"}, {"PSVCWEB", "Storefront"}, {"PSVCOPS", "Internal tools"}};
  // Priorities, most severe first; empty: the account has none (incidents carry urgencies).
  std::vector<std::string> priorities = {"P1", "P2", "P3", "P4", "P5"};
  int incidents = 0;
  std::int64_t first_incident_at = 1735689600;  // 2025-01-01T00:00:00Z
  std::int64_t pace_seconds = 6 * 3600;
  int test_every = 0;  // every n-th incident (from 1) is titled "[TEST] ..."; 0: none
  int retry_after_seconds = 1;
  // Whether the base incident type defines a custom field "Deployment" beside "Environment"
  // (`/incidents/custom_fields`), and its value per incident index, unset where not given here
  // (`/incidents/{id}/custom_fields/values`).
  bool defines_deployment_field = false;
  std::map<int, std::string> deployment_fields;
  // The change events PagerDuty relates to incident `index` (`/incidents/{id}/related_change_
  // events`), each a JSON object of the spec's shape (its correlation_reason added where not
  // given), newest first as given; none where not given here.
  std::map<int, std::vector<std::string>> related_change_events;
  // What `/incidents/{id}/related_change_events` answers for every incident instead (403: an
  // account without change correlation); 0 answers them.
  int related_change_events_status = 0;
};

class PagerDutyDouble {
 public:
  explicit PagerDutyDouble(PagerDutyDoubleConfig config = {});
  ~PagerDutyDouble();
  PagerDutyDouble(const PagerDutyDouble&) = delete;
  PagerDutyDouble& operator=(const PagerDutyDouble&) = delete;

  int port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:PORT", what `--url` takes

  // The next `count` requests are answered with 429 (Retry-After) after `pass_first` more are
  // answered normally.
  void FailNext(int count, int pass_first = 0);
  // Every request waits this long before it is answered.
  void SetLatency(std::chrono::milliseconds latency);

  // The next `count` change events are answered with `status` (429 with Retry-After, 5xx, or a
  // 400 "invalid event") and not kept.
  void FailChangeEvents(int status, int count);
  // The change events accepted, as sent (JSON), oldest first.
  std::vector<std::string> change_events() const;

  // Incident `index` is resolved at `at` from now on, as if a responder resolved it.
  void Resolve(int index, std::int64_t at);

  // The generated incident `index` (from 0): what the double serves for it.
  struct Incident {
    std::string id, title, service_id, priority, urgency, status;
    std::int64_t created_at = 0;
    std::int64_t resolved_at = 0;  // 0 while open
    bool test = false;
  };
  Incident IncidentAt(int index) const;

  int requests() const { return requests_.load(); }
  // Requests by path ("/incidents", "/services", ...), and refused ones by status.
  // custom_field_requests() sums the per-incident custom field paths.
  std::map<std::string, int> requests_by_path() const;
  int answered(int status) const;
  int custom_field_requests() const;
  // The per-incident related change event requests.
  int change_event_requests() const;
  // Requests whose Accept header was not API v2's.
  int wrong_accept() const { return wrong_accept_.load(); }

 private:
  struct Server;
  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> requests_{0};
  std::atomic<int> fail_count_{0};
  std::atomic<int> pass_before_failing_{0};
  std::atomic<int> latency_ms_{0};
  std::atomic<int> wrong_accept_{0};
  std::atomic<int> change_event_failures_{0};
  std::atomic<int> change_event_failure_status_{0};
};

}  // namespace leadline::testing
