#include "cli/analytics_command.h"

#include <cstdio>
#include <memory>

#include "app/analytics_refresh.h"
#include "app/metrics_snapshots.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "store/store.h"

namespace leadline::cli {
namespace {

struct RefreshFlags {
  StoreOptions store;
  std::string config;
  bool full = false;
};

int RunRefresh(const RefreshFlags& flags) {
  auto view = app::MetricsSnapshots::Build(flags.store.paths, flags.config);
  if (!view.ok()) return ReportError(view.status());
  auto store = store::OpenStore(flags.store.paths.store);
  if (!store.ok()) return ReportError(store.status());
  auto outcome =
      app::RefreshAnalytics(**store, **view, {.full = flags.full, .now = common::NowUnixSeconds()});
  if (!outcome.ok()) return ReportError(outcome.status().WithContext("analytics refresh"));
  const store::AnalyticsRefreshRecord& record = outcome->record;
  std::printf("Analytics %s: %lld of %zu scopes rewritten, %lld rows, in %lld ms.\n",
              record.full ? "rebuilt" : "refreshed",
              static_cast<long long>(record.scopes_rewritten), outcome->scopes,
              static_cast<long long>(record.rows_written),
              static_cast<long long>(record.duration_ms));
  return 0;
}

}  // namespace

std::function<int()> AddAnalyticsCommands(CLI::App& app) {
  CLI::App* analytics =
      app.add_subcommand("analytics", "The analytics tables BI tools read (docs/bi.md)");
  analytics->require_subcommand(1);
  auto flags = std::make_shared<RefreshFlags>();
  CLI::App* refresh = analytics->add_subcommand(
      "refresh",
      "Rewrite the analytics tables' rows of the repositories and projects whose numbers "
      "changed, in one transaction, and record the refresh");
  AddStoreOptions(refresh, &flags->store);
  refresh->add_option("--config", flags->config,
                      "leadline.toml (default: beside the store, if there is one)");
  refresh->add_flag("--full", flags->full, "Rewrite every row, changed or not");
  return [refresh, flags]() { return refresh->parsed() ? RunRefresh(*flags) : -1; };
}

}  // namespace leadline::cli
