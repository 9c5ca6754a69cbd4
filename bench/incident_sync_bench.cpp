// Incident tools' backfill figures (issue 20), against a local double of the tool (PagerDuty,
// incident.io, Jira Service Management or Opsgenie) on loopback with no added latency:
//  - incidents stored per second in a first backfill (`leadline incidents sync` as a library
//    call: the tool's walk, each page committed with its cursor), SQLite in WAL mode;
//  - API requests per 100 incidents, by path;
//  - the requests of an incremental sync right after it.
// The double runs in this process, on the same cores: building its pages is inside the figures.
//
//   leadline_incident_sync_bench [--tool pagerduty|incidentio|jsm|opsgenie] [--incidents 20000]
//       [--dir /tmp/leadline-incident-bench] [--deployment-field yes|no]
//
// `--deployment-field yes` (PagerDuty): the account defines a "Deployment" custom field, which
// costs a request per counting incident to read. PagerDuty's related change events cost one per
// counting incident that names nothing itself. See docs/benchmarks.md.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "app/incident_connections.h"
#include "http/curl_http_client.h"
#include "incidentio_double/incidentio_double.h"
#include "jsm_double/jsm_double.h"
#include "opsgenie_double/opsgenie_double.h"
#include "pagerduty_double/pagerduty_double.h"

namespace {

using namespace leadline;

struct Options {
  std::string tool = "pagerduty";
  int incidents = 20000;
  std::string dir = "/tmp/leadline-incident-bench";
  bool deployment_field = false;
};

int Fail(const common::Status& status) {
  std::fprintf(stderr, "incident_sync_bench: %s\n", status.message().c_str());
  return 1;
}

int Sum(const std::map<std::string, int>& by_path) {
  int n = 0;
  for (const auto& [path, count] : by_path) n += count;
  return n;
}

int At(const std::map<std::string, int>& by_path, const std::string& path) {
  const auto it = by_path.find(path);
  return it == by_path.end() ? 0 : it->second;
}

// Connects `settings` (whose key is in `key`), backfills, syncs again, and prints the figures.
// `listing` is the path of the tool's incident listing.
template <typename Double>
int Measure(const Options& options, Double& tool, sources::ConnectionSettings settings,
            const std::string& listing) {
  const config::Paths paths = config::PathsBeside(options.dir + "/leadline.db");
  http::CurlHttpClient curl;
  auto connected = app::ConnectIncidentTool(paths, settings, {}, curl);
  if (!connected.ok()) return Fail(connected.status());

  const auto requests_before = tool.requests_by_path();
  app::ConnectionClients clients(curl, {}, common::SystemClock(), {}, /*budgets=*/false);
  app::IncidentSyncOptions sync;
  sync.paths = paths;
  sync.since = common::NowUnixSeconds() - 800 * common::kDay;
  const auto start = std::chrono::steady_clock::now();
  auto synced = app::SyncIncidentConnections(sync, clients);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!synced.ok()) return Fail(synced.status());
  if (!synced->front().status.ok()) return Fail(synced->front().status);
  const ingest::IncidentSyncCounts& counts = synced->front().synced;
  const auto requests_after = tool.requests_by_path();
  const int listing_requests = At(requests_after, listing) - At(requests_before, listing);

  std::printf(
      "%s backfill: %lld incidents stored (%lld test incidents left out) in %.2f s: "
      "%.0f incidents/s\n",
      options.tool.c_str(), static_cast<long long>(counts.read),
      static_cast<long long>(counts.tests_left_out), seconds,
      static_cast<double>(counts.read) / seconds);
  std::printf(
      "requests: %d to %s, %lld pages: %.2f requests per 100 incidents; %d requests in all "
      "(%d at connect)\n",
      listing_requests, listing.c_str(), static_cast<long long>(counts.pages),
      100.0 * listing_requests / static_cast<double>(options.incidents),
      Sum(requests_after) - Sum(requests_before), Sum(requests_before));
  for (const auto& [path, count] : requests_after) {
    const int during = count - At(requests_before, path);
    if (path != listing && during > 0 && !path.ends_with("/custom_fields/values") &&
        !path.ends_with("/related_change_events")) {
      std::printf("  also %d to %s\n", during, path.c_str());
    }
  }
  if constexpr (std::is_same_v<Double, testing::PagerDutyDouble>) {
    std::printf(
        "  and %d to incidents' custom field values (one per counting incident where a "
        "field may name a cause): %.2f per 100 incidents\n",
        tool.custom_field_requests(),
        100.0 * tool.custom_field_requests() / static_cast<double>(options.incidents));
    std::printf(
        "  and %d to incidents' related change events (one per counting incident that names "
        "nothing itself): %.2f per 100 incidents\n",
        tool.change_event_requests(),
        100.0 * tool.change_event_requests() / static_cast<double>(options.incidents));
  }

  const int before_repeat = tool.requests();
  auto repeat = app::SyncIncidentConnections(sync, clients);
  if (!repeat.ok()) return Fail(repeat.status());
  std::printf("incremental sync right after: %d requests, %lld incidents read again\n",
              tool.requests() - before_repeat, static_cast<long long>(repeat->front().synced.read));
  return 0;
}

// The double's incidents: spread over the last two years, a test incident every 50.
template <typename Config>
Config Spread(const Options& options) {
  Config config;
  config.incidents = options.incidents;
  config.test_every = 50;
  config.pace_seconds = std::max<std::int64_t>(1, 2 * 365 * common::kDay / options.incidents);
  config.first_incident_at =
      common::NowUnixSeconds() - options.incidents * config.pace_seconds - 60;
  return config;
}

sources::ConnectionSettings Settings(model::Provider provider, std::string url,
                                     model::AuthMethod auth, std::string secret) {
  sources::ConnectionSettings settings;
  settings.provider = provider;
  settings.url = std::move(url);
  settings.auth = auth;
  settings.secret = std::move(secret);
  return settings;
}

int MeasurePagerDuty(const Options& options) {
  auto config = Spread<testing::PagerDutyDoubleConfig>(options);
  config.defines_deployment_field = options.deployment_field;
  testing::PagerDutyDouble pagerduty(config);
  return Measure(options, pagerduty,
                 Settings(model::Provider::kPagerDuty, pagerduty.url(),
                          model::AuthMethod::kPagerDutyToken, config.account_key),
                 "/incidents");
}

int MeasureIncidentIo(const Options& options) {
  const auto config = Spread<testing::IncidentIoDoubleConfig>(options);
  testing::IncidentIoDouble incidentio(config);
  return Measure(options, incidentio,
                 Settings(model::Provider::kIncidentIo, incidentio.url(),
                          model::AuthMethod::kIncidentIoKey, config.key),
                 "/v2/incidents");
}

int MeasureJsm(const Options& options) {
  const auto config = Spread<testing::JsmDoubleConfig>(options);
  testing::JsmDouble jsm(config);
  sources::ConnectionSettings settings =
      Settings(model::Provider::kJsm, jsm.url(), model::AuthMethod::kApiToken, config.token);
  settings.username = config.email;  // the API token signs in with the account's e-mail
  return Measure(options, jsm, settings, "/rest/api/3/search/jql");
}

int MeasureOpsgenie(const Options& options) {
  const auto config = Spread<testing::OpsgenieDoubleConfig>(options);
  testing::OpsgenieDouble opsgenie(config);
  return Measure(options, opsgenie,
                 Settings(model::Provider::kOpsgenie, opsgenie.url(),
                          model::AuthMethod::kOpsgenieKey, config.key),
                 "/v1/incidents/");
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--tool") {
      options.tool = argv[i + 1];
    } else if (flag == "--incidents") {
      options.incidents = std::atoi(argv[i + 1]);
    } else if (flag == "--dir") {
      options.dir = argv[i + 1];
    } else if (flag == "--deployment-field") {
      options.deployment_field = std::string(argv[i + 1]) == "yes";
    } else {
      options.tool = "";
      break;
    }
  }
  const std::map<std::string, int (*)(const Options&)> tools = {{"pagerduty", MeasurePagerDuty},
                                                                {"incidentio", MeasureIncidentIo},
                                                                {"jsm", MeasureJsm},
                                                                {"opsgenie", MeasureOpsgenie}};
  const auto tool = tools.find(options.tool);
  if (tool == tools.end() || options.incidents <= 0) {
    std::fprintf(stderr,
                 "usage: %s [--tool pagerduty|incidentio|jsm|opsgenie] [--incidents N] "
                 "[--dir DIR] [--deployment-field yes|no]\n",
                 argv[0]);
    return 2;
  }
  std::filesystem::remove_all(options.dir);
  std::filesystem::create_directories(options.dir);
  return tool->second(options);
}
