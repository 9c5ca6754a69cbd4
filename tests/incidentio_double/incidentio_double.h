// IncidentIoDouble: a local stand-in for incident.io's API on a real loopback port, for tests and
// benchmarks (never part of the product). It serves `/v2/incidents` (page_size up to 250, `after`
// cursors in `pagination_meta`, oldest created first, `updated_at[gte]=<date>`), `/v1/identity`,
// `/v1/severities`, `/v2/custom_fields` (an "Affected services" field backed by a catalog type)
// and `/v2/catalog_entries` in the shapes of incident.io's API, checks "Authorization: Bearer
// <key>" (401 otherwise), and answers 429 on demand. Incidents are generated, one every
// `pace_seconds`, cycling through the services and severities, the newest two open; every
// `test_every`-th is a test incident, served among the others (as a listing of every mode would)
// so that leaving them out is the client's work. Thread-safe: requests are served on the
// server's threads while tests change incidents and read counters.
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

struct IncidentIoDoubleConfig {
  int port = 0;  // on 127.0.0.1; 0 for any free port
  std::string key = "inc_live_key_0123456789";
  std::vector<std::pair<std::string, std::string>> services = {
      {"01SVCAPI", "Checkout API"}, {"01SVCWEB", "Storefront"}, {"01SVCOPS", "Internal tools"}};
  // Severity names, most severe first (the most severe gets the highest rank).
  std::vector<std::string> severities = {"Critical", "Major", "Minor"};
  int incidents = 0;
  std::int64_t first_incident_at = 1735689600;  // 2025-01-01T00:00:00Z
  std::int64_t pace_seconds = 6 * 3600;
  int test_every = 0;  // every n-th incident (from 1) is a test incident; 0: none
};

class IncidentIoDouble {
 public:
  explicit IncidentIoDouble(IncidentIoDoubleConfig config = {});
  ~IncidentIoDouble();
  IncidentIoDouble(const IncidentIoDouble&) = delete;
  IncidentIoDouble& operator=(const IncidentIoDouble&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT", what `--url` takes

  // The next `count` requests are answered with 429.
  void FailNext(int count) { fail_count_ = count; }
  // Every request waits this long before it is answered.
  void SetLatency(std::chrono::milliseconds latency) {
    latency_ms_ = static_cast<int>(latency.count());
  }

  // Changes to incident `index`, as responders make them; each updates it now.
  void Resolve(int index, std::int64_t at);
  void Reopen(int index);
  void SetSeverity(int index, const std::string& severity);

  struct Incident {
    std::string id, name, service_id, severity;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::int64_t resolved_at = 0;  // its "Resolved at"; 0 when never resolved
    bool open = false;
    bool test = false;
  };
  Incident IncidentAt(int index) const;

  int requests() const { return requests_.load(); }
  std::map<std::string, int> requests_by_path() const;
  int answered(int status) const;

 private:
  struct Server;
  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> requests_{0};
  std::atomic<int> fail_count_{0};
  std::atomic<int> latency_ms_{0};
};

}  // namespace leadline::testing
