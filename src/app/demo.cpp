#include "app/demo.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include "app/access.h"
#include "app/connections.h"
#include "app/repositories.h"
#include "app/stored_report.h"
#include "app/sync.h"
#include "config/settings.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"
#include "store/store.h"

namespace leadline::app {
namespace {

using common::Result;
using common::Status;

// How to reach the double, from the line it prints:
//   "  Cloud:       --api-url URL --workspace W --email E, API token: T"
Result<sources::ConnectionSettings> ReadCloudLine(ChildProcess& bitbucket) {
  const std::regex cloud(R"(--api-url (\S+) --workspace (\S+) --email (\S+), API token: (\S+))");
  sources::ConnectionSettings settings;
  std::smatch match;
  LEADLINE_RETURN_IF_ERROR(bitbucket
                               .ReadUntil([&](const std::string& line) {
                                 if (!std::regex_search(line, match, cloud)) return false;
                                 settings.provider = model::Provider::kBitbucketCloud;
                                 settings.url = match[1];
                                 settings.workspace = match[2];
                                 settings.auth = model::AuthMethod::kApiToken;
                                 settings.username = match[3];
                                 settings.secret = match[4];
                                 return true;
                               })
                               .WithContext("the Bitbucket double"));
  return settings;
}

// The demo's settings: two teams by commit e-mail, and a hotfix window that fits its pace.
constexpr const char* kSettings = R"(# leadline demo's settings (docs/configuration.md)
[defaults]
hotfix_window = "48h"

[teams.checkout]
members = ["ana@example.com", "ben@example.com", "chen@example.com", "dana@example.com"]

[teams.core]
members = ["eli@example.com", "farah@example.com", "gus@example.com", "hana@example.com"]
)";

// A fresh store: the demo's numbers are the same on every run.
Result<config::Paths> FreshStore(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  const std::string db = (std::filesystem::path(dir) / "leadline.db").string();
  for (const char* suffix : {"", "-wal", "-shm", ".key"}) {
    if (!error) std::filesystem::remove(db + suffix, error);
  }
  if (!error) std::filesystem::remove_all(db + ".mirrors", error);
  if (!error) std::filesystem::remove_all(db + ".snapshots", error);
  if (error) return Status::IoError("cannot make a fresh store in " + dir + ": " + error.message());
  const config::Paths paths = config::PathsBeside(db);
  std::ofstream settings(paths.settings_file);
  settings << kSettings;
  if (!settings) return Status::IoError("cannot write " + paths.settings_file);
  return paths;
}

// An incident for every second failed production deployment of each repository, raised ten
// minutes after it and resolved within two hours.
Status PushIncidents(const config::Paths& paths, const std::vector<model::Repository>& repos) {
  std::vector<model::Incident> incidents;
  for (const model::Repository& repo : repos) {
    StoredReportRequest request;
    request.paths = paths;
    request.location = repo.location;
    LEADLINE_ASSIGN_OR_RETURN(const RepositoryReport report, RunStoredReport(request));
    int failures = 0;
    for (const model::Deployment& deployment : report.deployments) {
      if (deployment.status != model::DeploymentStatus::kFailure || ++failures % 2 != 0) continue;
      model::Incident incident;
      incident.id = "INC-" + std::to_string(incidents.size() + 101);
      incident.source = "import";
      incident.service = repo.name;
      incident.severity = failures % 4 == 0 ? "P1" : "P2";
      incident.title = "Errors after " + deployment.ref + " of " + repo.name;
      incident.started_at = deployment.finished_at + 10 * common::kMinute;
      incident.resolved_at = incident.started_at + (30 + failures * 7 % 90) * common::kMinute;
      incident.repository = repo.location;
      incidents.push_back(std::move(incident));
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  return store->incidents().UpsertIncidents(incidents).status();
}

}  // namespace

Result<Demo> Demo::Prepare(const DemoRequest& request) {
  const std::int64_t pace_minutes =
      std::max<std::int64_t>(1, request.days * 24 * 60 / (request.pull_requests + 1));
  const int builds = request.pull_requests / 2;  // two paces apart: they span the same year
  LEADLINE_ASSIGN_OR_RETURN(
      ChildProcess bitbucket,
      ChildProcess::Start(
          request.double_program,
          {"--port", "0", "--repositories", std::to_string(request.repositories), "--pull-requests",
           std::to_string(request.pull_requests), "--pipelines", std::to_string(builds),
           "--deployments", std::to_string(builds), "--history-days", std::to_string(request.days),
           "--pace-minutes", std::to_string(pace_minutes), "--organisation"}));
  Demo demo(std::move(bitbucket));
  LEADLINE_ASSIGN_OR_RETURN(const auto settings, ReadCloudLine(demo.bitbucket_));
  LEADLINE_ASSIGN_OR_RETURN(demo.paths_, FreshStore(request.dir));
  const config::Paths& db = demo.paths_;

  http::CurlHttpClient curl;
  http::RetryingHttpClient client(curl, {}, 0);
  std::fprintf(stderr, "Connecting to the Bitbucket double at %s\n", settings.url.c_str());
  LEADLINE_RETURN_IF_ERROR(Connect(db, settings, client).status());
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Repository> repos, RefreshRepositories(db, client));
  // Two projects: the first half of the repositories, and the rest.
  const std::size_t half = (repos.size() + 1) / 2;
  for (const auto& [name, first, last] :
       {std::tuple{"payments", std::size_t{0}, half}, std::tuple{"platform", half, repos.size()}}) {
    std::vector<std::string> locations;
    for (std::size_t i = first; i < last; ++i) locations.push_back(repos[i].location);
    if (locations.empty()) continue;
    LEADLINE_RETURN_IF_ERROR(SaveProject(db, name, locations).status());
    demo.projects_.push_back(name);
  }
  LEADLINE_RETURN_IF_ERROR(SetSelection(db, {"*"}, true).status());
  const common::UnixSeconds since = common::NowUnixSeconds() - (request.days + 30) * common::kDay;
  ConnectionClients clients(curl, {}, common::SystemClock(), {}, /*budgets=*/false);
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<RepositorySync> synced,
                            SyncSelected({db, "", since, {}}, clients));
  for (const RepositorySync& repo : synced) {
    LEADLINE_RETURN_IF_ERROR(repo.status.WithContext("syncing " + repo.location));
  }
  LEADLINE_RETURN_IF_ERROR(PushIncidents(db, repos));
  LEADLINE_ASSIGN_OR_RETURN(const auth::MintedToken token,
                            CreateToken(db, {"demo-reader", {"read"}, {}, 30 * common::kDay}));
  demo.reader_token_ = token.secret;
  return demo;
}

}  // namespace leadline::app
