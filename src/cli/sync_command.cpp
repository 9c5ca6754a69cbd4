#include "cli/sync_command.h"

#include <cstdio>
#include <memory>

#include "app/sync.h"
#include "cli/errors.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"

namespace leadline::cli {
namespace {

// Bitbucket Cloud's smallest hourly allowance for /2.0/repositories/*.
constexpr std::uint32_t kCloudRequestsPerHour = 1000;

struct SyncFlags {
  std::string db_path = "leadline.db";
  std::string repo;
};

int RunSync(const SyncFlags& flags) {
  http::CurlHttpClient curl;
  http::RetryingHttpClient client(
      curl, {}, kCloudRequestsPerHour, common::SystemClock(),
      [](const std::string& why) { std::fprintf(stderr, "leadline: waiting: %s\n", why.c_str()); });
  auto synced = app::SyncSelected(flags.db_path, client, flags.repo);
  if (!synced.ok()) return ReportError(synced.status());
  int failed = 0;
  std::int64_t changed = 0;
  for (const app::RepositorySync& repo : *synced) {
    if (!repo.status.ok()) {
      ++failed;
      std::fprintf(stderr, "leadline: error: %s\n", repo.status.message().c_str());
      continue;
    }
    changed += repo.pull_requests.changed;
    std::printf("%s: %lld pull requests received, %lld new or changed\n", repo.location.c_str(),
                static_cast<long long>(repo.pull_requests.received),
                static_cast<long long>(repo.pull_requests.changed));
  }
  const http::RequestCounts counts = client.counts();
  std::printf(
      "Synced %zu of %zu repositories: %llu requests (%llu retried), %lld pull requests "
      "new or changed.\n",
      synced->size() - static_cast<std::size_t>(failed), synced->size(),
      static_cast<unsigned long long>(counts.requests),
      static_cast<unsigned long long>(counts.retries), static_cast<long long>(changed));
  return failed == 0 ? 0 : 1;
}

}  // namespace

std::function<int()> AddSyncCommand(CLI::App& app) {
  auto flags = std::make_shared<SyncFlags>();
  CLI::App* sync = app.add_subcommand(
      "sync", "Backfill the selected Bitbucket repositories (pull requests, for now)");
  sync->add_option("--repo", flags->repo, "Only the selected repositories matching this pattern");
  sync->add_option("--db", flags->db_path, "SQLite store file")->capture_default_str();
  return [sync, flags]() { return sync->parsed() ? RunSync(*flags) : -1; };
}

}  // namespace leadline::cli
