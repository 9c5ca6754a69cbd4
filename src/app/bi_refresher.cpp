#include "app/bi_refresher.h"

#include <cstdio>

namespace leadline::app {

BiRefresher::BiRefresher(config::Paths paths, auth::SecretBox box, http::HttpClient& client,
                         std::optional<LookerTarget> looker, query::MetricsViewSource view)
    : paths_(std::move(paths)),
      box_(std::move(box)),
      client_(client, http::InteractiveRetryPolicy(), 0),
      looker_(std::move(looker)),
      view_(std::move(view)) {}

common::Result<sources::looker::TriggerOutcome> BiRefresher::Trigger(store::Store& store) {
  auto outcome = TriggerLooker(store, box_, client_, *looker_, common::NowUnixSeconds());
  owed_ = !outcome.ok();
  return outcome;
}

void BiRefresher::AfterRefresh(store::Store& store, const AnalyticsRefreshOutcome& outcome) {
  if (!looker_ || (outcome.record.scopes_rewritten == 0 && !owed_)) return;
  const auto triggered = Trigger(store);
  if (!triggered.ok()) {
    std::fprintf(stderr,
                 "leadline: error: Looker datagroup %s not triggered (tried again after the next "
                 "refresh): %s\n",
                 looker_->datagroup.c_str(), triggered.status().message().c_str());
  }
}

common::Result<api::BiRefreshReport> BiRefresher::Refresh() {
  std::optional<common::Result<api::BiRefreshReport>> shared =
      refreshes_.Run([this] { return RefreshNow(); });
  if (!shared) {
    api::BiRefreshReport turned_away;
    turned_away.turned_away = true;
    return turned_away;
  }
  return *std::move(shared);
}

common::Result<api::BiRefreshReport> BiRefresher::RefreshNow() {
  LEADLINE_ASSIGN_OR_RETURN(const std::shared_ptr<const query::MetricsView> view, view_());
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths_.store));
  api::BiRefreshReport report;
  report.refreshed_at = common::NowUnixSeconds();
  const common::Result<AnalyticsRefreshOutcome> refreshed =
      RefreshAnalytics(*store, *view, {.full = false, .now = report.refreshed_at});
  if (!refreshed.ok()) return refreshed.status().WithContext("analytics refresh");
  report.scopes_rewritten = refreshed->record.scopes_rewritten;
  report.rows_written = refreshed->record.rows_written;
  if (!looker_) return report;
  const auto triggered = Trigger(*store);
  if (!triggered.ok()) {
    report.looker_error = triggered.status().message();
    return report;
  }
  report.looker_datagroup = triggered->datagroup.model_name + "::" + triggered->datagroup.name;
  report.looker_triggered_at = triggered->triggered_at;
  return report;
}

}  // namespace leadline::app
