// JsmDouble: a local stand-in for a Jira Service Management Cloud site on a real loopback port,
// for tests and benchmarks (never part of the product). It serves `/_edge/tenant_info`,
// `/rest/api/3/myself`, `/rest/api/3/priority/search`, the enhanced search
// `/rest/api/3/search/jql` (the JQL Leadline sends: `issuetype = Incident`, an optional
// `updated >= "<date>"`, ordered by creation ascending or by update descending; `nextPageToken`
// paging, `isLast`, `fields=*navigable&expand=names` answered with an "Affected services"
// custom field) and the Operations API's `/jsm/ops/api/<cloudId>/v1/schedules` (offset/size
// paging with `links.next`), and answers 410 at the retired `/rest/api/3/search`. It checks
// Basic auth of the e-mail and API token (401 in Jira's shape otherwise) and answers 429 with
// Retry-After on demand. Incidents are generated, one every `pace_seconds`, cycling through the
// services and priorities, the newest two open; every `test_every`-th is labelled "test".
// Thread-safe: requests are served on the server's threads while tests change incidents and
// read counters.
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

struct JsmDoubleConfig {
  int port = 0;  // on 127.0.0.1; 0 for any free port
  std::string email = "mia@example.com";
  std::string token = "ATATT3xFfGF0-jsm-token-0123456789";
  std::string cloud_id = "2a7c6a3e-8f3b-4f54-9c2f-1f4d3b6c9e01";
  std::vector<std::pair<std::string, std::string>> services = {{"svc-checkout", "Checkout API"},
                                                               {"svc-store", "Storefront"},
                                                               {"svc-tools", "Internal tools"}};
  std::vector<std::string> priorities = {"P1", "P2", "P3", "P4", "P5"};
  int incidents = 0;
  std::int64_t first_incident_at = 1735689600;  // 2025-01-01T00:00:00Z
  std::int64_t pace_seconds = 6 * 3600;
  int test_every = 0;      // every n-th incident (from 1) is labelled "test"; 0: none
  bool operations = true;  // false: the Operations API answers 403
};

class JsmDouble {
 public:
  explicit JsmDouble(JsmDoubleConfig config = {});
  ~JsmDouble();
  JsmDouble(const JsmDouble&) = delete;
  JsmDouble& operator=(const JsmDouble&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT", what `--site` takes

  // The next `count` requests are answered with 429 (Retry-After: 1).
  void FailNext(int count) { fail_count_ = count; }
  // Every request waits this long before it is answered.
  void SetLatency(std::chrono::milliseconds latency) { latency_ms_ = latency.count(); }

  // Changes to incident `index`, as responders make them; each updates it now.
  void Resolve(int index, std::int64_t at);
  void Reopen(int index);
  void SetPriority(int index, const std::string& priority);

  struct Incident {
    std::string id, key, summary, service_id, priority;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::int64_t resolved_at = 0;  // 0 while open
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
