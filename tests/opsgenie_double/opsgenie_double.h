// OpsgenieDouble: a local stand-in for Opsgenie's REST API on a real loopback port, for tests
// (never part of the product). It serves `/v1/incidents/` (the required `query`, offset/limit
// paging up to 100 with `paging.next`, sorted by creation newest first), `/v2/teams` and
// `/v2/account` in the shapes of Opsgenie's OpenAPI spec, checks "Authorization: GenieKey <key>"
// (401 in Opsgenie's shape otherwise), and answers 429 on demand. Incidents are generated, one
// every `pace_seconds`, cycling through the teams and priorities, the newest two open; every
// `test_every`-th is tagged "test". Thread-safe: requests are served on the server's threads
// while tests change incidents and read counters.
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

struct OpsgenieDoubleConfig {
  int port = 0;  // on 127.0.0.1; 0 for any free port
  std::string key = "eb243592-faa2-4ba2-a551q-1afdf565c889";
  std::vector<std::pair<std::string, std::string>> teams = {{"team-checkout", "Checkout"},
                                                            {"team-store", "Storefront"},
                                                            {"team-tools", "Internal tools"}};
  std::vector<std::string> priorities = {"P1", "P2", "P3", "P4", "P5"};
  int incidents = 0;
  std::int64_t first_incident_at = 1735689600;  // 2025-01-01T00:00:00Z
  std::int64_t pace_seconds = 6 * 3600;
  int test_every = 0;  // every n-th incident (from 1) is tagged "test"; 0: none
};

class OpsgenieDouble {
 public:
  explicit OpsgenieDouble(OpsgenieDoubleConfig config = {});
  ~OpsgenieDouble();
  OpsgenieDouble(const OpsgenieDouble&) = delete;
  OpsgenieDouble& operator=(const OpsgenieDouble&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT", what `--url` takes

  // The next `count` requests are answered with 429.
  void FailNext(int count) { fail_count_ = count; }
  // Every request waits this long before it is answered.
  void SetLatency(std::chrono::milliseconds latency) { latency_ms_ = latency.count(); }

  // Changes to incident `index`, as responders make them; each updates it now.
  void Resolve(int index);
  void Reopen(int index);
  void SetPriority(int index, const std::string& priority);

  struct Incident {
    std::string id, message, team_id, priority;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
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
  std::atomic<long long> latency_ms_{0};
};

}  // namespace leadline::testing
