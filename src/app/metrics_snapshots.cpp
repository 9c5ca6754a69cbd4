#include "app/metrics_snapshots.h"

#include <algorithm>

#include "app/stored_report.h"
#include "config/settings.h"
#include "store/store.h"

namespace leadline::app {
namespace {

constexpr common::UnixSeconds kEndOfHistory = 7258118400;  // 2200-01-01T00:00:00Z

// The older of two marks, 0 being none.
common::UnixSeconds OlderMark(common::UnixSeconds a, common::UnixSeconds b) {
  return a == 0 ? b : b == 0 ? a : std::min(a, b);
}

}  // namespace

MetricsSnapshots::MetricsSnapshots(config::Paths paths, std::string config_path)
    : paths_(std::move(paths)), config_path_(std::move(config_path)) {}

MetricsSnapshots::~MetricsSnapshots() {
  if (builder_.joinable()) builder_.join();
}

common::Result<std::shared_ptr<const query::MetricsView>> MetricsSnapshots::Build(
    const config::Paths& paths, const std::string& config_path) {
  LEADLINE_ASSIGN_OR_RETURN(const config::Settings settings,
                            config::LoadSettings(config_path, paths.settings_file));
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  auto view = std::make_shared<query::MetricsView>();
  view->built_at = common::NowUnixSeconds();
  view->teams = settings.teams();
  LEADLINE_ASSIGN_OR_RETURN(view->projects, store->access().LoadProjects());
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                            store->repositories().LoadConnectedRepositories());
  for (const model::Repository& repo : repos) {
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t commits, store->history().CountCommits(repo.id));
    if (commits == 0) continue;  // never synced: nothing to measure yet
    ReportOptions options;
    ApplySettings(settings.For(repo.location), options);
    // The report's rows cover all of history (1970 to 2200); windows are the queries' business.
    options.since = 0;
    options.until = kEndOfHistory;
    options.snapshot_cache_dir = paths.snapshots_dir;
    LEADLINE_ASSIGN_OR_RETURN(StoredAnalysis analysis,
                              AnalyzeStored(*store, repo, options, &view->people));
    engine::IndexLeadTimes(analysis.metrics);  // the view answers every request's lead times
    LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Ref> refs, store->history().LoadRefs(repo.id));
    std::sort(refs.begin(), refs.end(),
              [](const model::Ref& a, const model::Ref& b) { return a.name < b.name; });
    LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Pipeline> builds,
                              store->pipelines().LoadPipelines(repo.id));
    std::sort(builds.begin(), builds.end(), [](const model::Pipeline& a, const model::Pipeline& b) {
      return a.created_at != b.created_at ? a.created_at > b.created_at : a.uuid < b.uuid;
    });
    view->repositories.push_back(
        {repo, std::move(analysis.metrics), std::move(analysis.report.deployments),
         std::move(analysis.report.report), std::move(analysis.report.pull_requests),
         std::move(analysis.facts), std::move(refs), std::move(builds)});
  }
  return std::shared_ptr<const query::MetricsView>(std::move(view));
}

void MetricsSnapshots::OnBuilt(
    std::function<void(std::shared_ptr<const query::MetricsView>)> observer) {
  on_built_ = std::move(observer);
}

common::Result<std::shared_ptr<const query::MetricsView>> MetricsSnapshots::Current() {
  std::unique_lock lock(mutex_);
  if (current_) {
    if (stale_ && !building_) RebuildInBackground();
    return current_;
  }
  // The first view is built in the caller's thread: there is nothing older to answer from.
  lock.unlock();
  LEADLINE_ASSIGN_OR_RETURN(std::shared_ptr<const query::MetricsView> built,
                            Build(paths_, config_path_));
  if (on_built_) on_built_(built);
  lock.lock();
  if (!current_) current_ = std::move(built);
  return current_;
}

void MetricsSnapshots::MarkStale() {
  std::lock_guard lock(mutex_);
  stale_ = true;  // also when the first view is being built: it may have read too early
  if (!current_) return;
  if (stale_since_ == 0) stale_since_ = common::NowUnixSeconds();
  if (!building_) RebuildInBackground();
}

common::Seconds MetricsSnapshots::BehindSeconds() {
  std::lock_guard lock(mutex_);
  const common::UnixSeconds oldest = OlderMark(building_since_, stale_since_);
  return oldest == 0 ? 0 : common::NowUnixSeconds() - oldest;
}

void MetricsSnapshots::RebuildInBackground() {
  stale_ = false;
  building_ = true;
  building_since_ = OlderMark(building_since_, stale_since_);  // a failed build left one
  stale_since_ = 0;
  if (builder_.joinable()) builder_.join();  // the previous build has finished
  builder_ = std::thread([this] {
    for (;;) {
      auto built = Build(paths_, config_path_);
      if (built.ok() && on_built_) on_built_(*built);
      std::lock_guard lock(mutex_);
      if (built.ok()) {
        current_ = std::move(*built);
        building_since_ = 0;
      }  // on failure keep answering from the last, which stays behind
      if (!stale_) {
        building_ = false;
        return;
      }
      stale_ = false;  // data landed during the build: build again
      building_since_ = OlderMark(building_since_, stale_since_);
      stale_since_ = 0;
    }
  });
}

}  // namespace leadline::app
