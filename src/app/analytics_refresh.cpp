#include "app/analytics_refresh.h"

#include <chrono>
#include <set>

#include "app/analytics_rows.h"

namespace leadline::app {

common::Result<AnalyticsRefreshOutcome> RefreshAnalytics(store::Store& store,
                                                         const query::MetricsView& view,
                                                         const AnalyticsRefreshOptions& options) {
  const auto began = std::chrono::steady_clock::now();
  LEADLINE_ASSIGN_OR_RETURN(const auto keys, ProjectKeys(view));
  store::Analytics& analytics = store.analytics();
  LEADLINE_ASSIGN_OR_RETURN(const auto written, analytics.LoadAnalyticsDigests());

  std::vector<ScopeRows> changed;
  std::set<std::string> present;
  const auto consider = [&](ScopeRows rows) {
    const std::string key = rows.scope.Key();
    present.insert(key);
    const auto before = written.find(key);
    if (options.full || before == written.end() || before->second != rows.Digest()) {
      changed.push_back(std::move(rows));
    }
  };
  for (const query::RepositoryView& repo : view.repositories) {
    LEADLINE_ASSIGN_OR_RETURN(ScopeRows rows, RepositoryRows(repo, keys.at(repo.repository.id)));
    consider(std::move(rows));
  }
  for (const model::Project& project : view.projects) {
    LEADLINE_ASSIGN_OR_RETURN(ScopeRows rows, ProjectRows(view, project));
    consider(std::move(rows));
  }
  std::vector<store::AnalyticsScope> gone;
  for (const auto& [key, digest] : written) {
    if (present.contains(key)) continue;
    const std::size_t colon = key.find(':');
    const bool repository = key.compare(0, colon, "repository") == 0;
    gone.push_back({repository ? store::AnalyticsScope::Kind::kRepository
                               : store::AnalyticsScope::Kind::kProject,
                    key.substr(colon + 1)});
  }

  AnalyticsRefreshOutcome outcome;
  outcome.scopes = present.size();
  store::AnalyticsRefreshRecord& record = outcome.record;
  record.refreshed_at = options.now;
  record.full = options.full;
  record.watermark = DataWatermark(view);
  store::Transaction transaction(store);
  LEADLINE_RETURN_IF_ERROR(transaction.Begin());
  for (const store::AnalyticsScope& scope : gone) {
    LEADLINE_RETURN_IF_ERROR(analytics.DeleteAnalyticsScope(scope));
  }
  const std::vector<store::AnalyticsTable>& tables = store::AnalyticsTables();
  for (const ScopeRows& rows : changed) {
    LEADLINE_RETURN_IF_ERROR(analytics.DeleteAnalyticsScope(rows.scope));
    for (std::size_t t = 0; t < tables.size(); ++t) {
      LEADLINE_RETURN_IF_ERROR(analytics.InsertAnalyticsRows(tables[t], rows.tables[t]));
    }
    LEADLINE_RETURN_IF_ERROR(analytics.SetAnalyticsDigest(rows.scope, rows.Digest()));
    record.rows_written += static_cast<std::int64_t>(rows.RowCount());
  }
  record.scopes_rewritten = static_cast<std::int64_t>(changed.size() + gone.size());
  record.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - began)
                           .count();
  LEADLINE_RETURN_IF_ERROR(analytics.RecordAnalyticsRefresh(record));
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return outcome;
}

}  // namespace leadline::app
