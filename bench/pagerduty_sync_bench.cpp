// PagerDuty backfill figures (issue 20), against the local PagerDuty double on loopback with no
// added latency:
//  - incidents stored per second in a first backfill (`leadline incidents sync` as a library
//    call: six-month windows, pages of 100, each page committed with its cursor), SQLite in WAL
//    mode;
//  - API requests per 100 incidents, by path;
//  - the requests of an incremental sync right after it.
// The double runs in this process, on the same cores: building its pages is inside the figures.
//
//   leadline_pagerduty_sync_bench [--incidents 20000] [--dir /tmp/leadline-pagerduty-bench]
//
// See docs/benchmarks.md.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/incident_connections.h"
#include "http/curl_http_client.h"
#include "pagerduty_double/pagerduty_double.h"

namespace {

using namespace leadline;

int Fail(const common::Status& status) {
  std::fprintf(stderr, "pagerduty_sync_bench: %s\n", status.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int incidents = 20000;
  std::string dir = "/tmp/leadline-pagerduty-bench";
  // Whether the account defines a "Deployment" custom field, which costs a request per counting
  // incident to read.
  bool deployment_field = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--incidents") {
      incidents = std::atoi(argv[i + 1]);
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    } else if (flag == "--deployment-field") {
      deployment_field = std::string(argv[i + 1]) == "yes";
    } else {
      std::fprintf(stderr, "usage: %s [--incidents N] [--dir DIR] [--deployment-field yes|no]\n",
                   argv[0]);
      return 2;
    }
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  testing::PagerDutyDoubleConfig config;
  config.incidents = incidents;
  config.test_every = 50;
  config.defines_deployment_field = deployment_field;
  // Spread over the last two years: five windows of at most 180 days.
  config.pace_seconds = std::max<std::int64_t>(1, 2 * 365 * common::kDay / incidents);
  config.first_incident_at = common::NowUnixSeconds() - incidents * config.pace_seconds - 60;
  testing::PagerDutyDouble pagerduty(config);
  std::ofstream(dir + "/key") << config.account_key << "\n";

  const config::Paths paths = config::PathsBeside(dir + "/leadline.db");
  http::CurlHttpClient curl;
  sources::ConnectionSettings settings;
  settings.provider = model::Provider::kPagerDuty;
  settings.url = pagerduty.url();
  settings.auth = model::AuthMethod::kPagerDutyToken;
  settings.secret = config.account_key;
  auto connected = app::ConnectIncidentTool(paths, settings, {}, curl);
  if (!connected.ok()) return Fail(connected.status());

  const auto requests_before = pagerduty.requests_by_path();
  app::ConnectionClients clients(curl, {}, common::SystemClock(), {}, /*budgets=*/false);
  app::IncidentSyncOptions options;
  options.paths = paths;
  options.since = common::NowUnixSeconds() - 800 * common::kDay;
  const auto start = std::chrono::steady_clock::now();
  auto synced = app::SyncIncidentConnections(options, clients);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!synced.ok()) return Fail(synced.status());
  if (!synced->front().status.ok()) return Fail(synced->front().status);
  const ingest::IncidentSyncCounts& counts = synced->front().synced;
  const auto requests_after = pagerduty.requests_by_path();
  const int incident_requests =
      requests_after.at("/incidents") -
      (requests_before.count("/incidents") ? requests_before.at("/incidents") : 0);

  std::printf(
      "backfill: %lld incidents stored (%lld test incidents left out) in %.2f s: "
      "%.0f incidents/s\n",
      static_cast<long long>(counts.read), static_cast<long long>(counts.tests_left_out), seconds,
      static_cast<double>(counts.read) / seconds);
  std::printf(
      "requests: %d to /incidents, %lld pages: %.2f requests per 100 incidents "
      "(%d at connect: users/me, services, priorities, incidents)\n",
      incident_requests, static_cast<long long>(counts.pages),
      100.0 * incident_requests / static_cast<double>(incidents), [&] {
        int n = 0;
        for (const auto& [path, count] : requests_before) n += count;
        return n;
      }());

  std::printf(
      "custom fields: %d to the definitions, %d to incidents' values (one per counting "
      "incident where a field may name a cause): %.2f per 100 incidents\n",
      requests_after.count("/incidents/custom_fields")
          ? requests_after.at("/incidents/custom_fields")
          : 0,
      pagerduty.custom_field_requests(),
      100.0 * pagerduty.custom_field_requests() / static_cast<double>(incidents));

  const int before_repeat = pagerduty.requests();
  auto repeat = app::SyncIncidentConnections(options, clients);
  if (!repeat.ok()) return Fail(repeat.status());
  std::printf("incremental sync right after: %d requests, %lld incidents read again\n",
              pagerduty.requests() - before_repeat,
              static_cast<long long>(repeat->front().synced.read));
  return 0;
}
