// Jira Service Management backfill figures (issue 20), against the local site double on loopback
// with no added latency:
//  - incidents stored per second in a first backfill (`leadline incidents sync` as a library
//    call: the enhanced search, 100 work items a page with every navigable field, each page
//    committed with its nextPageToken), SQLite in WAL mode;
//  - API requests per 100 incidents;
//  - the requests of an incremental sync right after it.
// The double runs in this process, on the same cores: building its pages is inside the figures.
//
//   leadline_jsm_sync_bench [--incidents 20000] [--dir /tmp/leadline-jsm-bench]
//
// See docs/benchmarks.md.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/incident_connections.h"
#include "http/curl_http_client.h"
#include "jsm_double/jsm_double.h"

namespace {

using namespace leadline;

int Fail(const common::Status& status) {
  std::fprintf(stderr, "jsm_sync_bench: %s\n", status.message().c_str());
  return 1;
}

int SearchRequests(const testing::JsmDouble& jsm) {
  const auto by_path = jsm.requests_by_path();
  const auto found = by_path.find("/rest/api/3/search/jql");
  return found == by_path.end() ? 0 : found->second;
}

}  // namespace

int main(int argc, char** argv) {
  int incidents = 20000;
  std::string dir = "/tmp/leadline-jsm-bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--incidents") {
      incidents = std::atoi(argv[i + 1]);
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    } else {
      std::fprintf(stderr, "usage: %s [--incidents N] [--dir DIR]\n", argv[0]);
      return 2;
    }
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  testing::JsmDoubleConfig config;
  config.incidents = incidents;
  config.test_every = 50;
  config.pace_seconds = std::max<std::int64_t>(1, 2 * 365 * common::kDay / incidents);
  config.first_incident_at = common::NowUnixSeconds() - incidents * config.pace_seconds - 60;
  testing::JsmDouble jsm(config);

  const config::Paths paths = config::PathsBeside(dir + "/leadline.db");
  http::CurlHttpClient curl;
  sources::ConnectionSettings settings;
  settings.provider = model::Provider::kJsm;
  settings.url = jsm.url();
  settings.auth = model::AuthMethod::kApiToken;
  settings.username = config.email;
  settings.secret = config.token;
  auto connected = app::ConnectIncidentTool(paths, settings, {}, curl);
  if (!connected.ok()) return Fail(connected.status());
  const int at_connect = jsm.requests();

  const int searches_before = SearchRequests(jsm);
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
  const int searches = SearchRequests(jsm) - searches_before;

  std::printf(
      "backfill: %lld incidents stored (%lld test incidents left out) in %.2f s: "
      "%.0f incidents/s\n",
      static_cast<long long>(counts.read), static_cast<long long>(counts.tests_left_out), seconds,
      static_cast<double>(counts.read) / seconds);
  std::printf(
      "requests: %d searches, %lld pages: %.2f requests per 100 incidents (%d at connect: "
      "tenant_info, myself, search, services, priorities, schedules)\n",
      searches, static_cast<long long>(counts.pages),
      100.0 * searches / static_cast<double>(incidents), at_connect);

  const int before_repeat = jsm.requests();
  auto repeat = app::SyncIncidentConnections(options, clients);
  if (!repeat.ok()) return Fail(repeat.status());
  std::printf("incremental sync right after: %d requests, %lld incidents read again\n",
              jsm.requests() - before_repeat, static_cast<long long>(repeat->front().synced.read));
  return 0;
}
