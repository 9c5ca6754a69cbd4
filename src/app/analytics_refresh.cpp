#include "app/analytics_refresh.h"

#include <chrono>
#include <optional>
#include <set>

#include "app/analytics_rows.h"

namespace leadline::app {
namespace {

// A changed scope: its rows while held, its digest in any case.
struct Changed {
  std::optional<ScopeRows> rows;
  store::AnalyticsScope scope;
  std::string digest;
  const query::RepositoryView* repository = nullptr;  // or
  const model::Project* project = nullptr;
};

}  // namespace

common::Result<AnalyticsRefreshOutcome> RefreshAnalytics(store::Store& store,
                                                         const query::MetricsView& view,
                                                         const AnalyticsRefreshOptions& options) {
  const auto began = std::chrono::steady_clock::now();
  LEADLINE_ASSIGN_OR_RETURN(const auto keys, ProjectKeys(view));
  store::Analytics& analytics = store.analytics();
  LEADLINE_ASSIGN_OR_RETURN(const auto written, analytics.LoadAnalyticsDigests());

  std::vector<Changed> changed;
  std::set<std::string> present;
  std::size_t held = 0;
  const auto consider = [&](ScopeRows rows, Changed source) {
    const std::string key = rows.scope.Key();
    present.insert(key);
    std::string digest = rows.Digest();
    const auto before = written.find(key);
    if (!options.full && before != written.end() && before->second == digest) return;
    source.scope = rows.scope;
    source.digest = std::move(digest);
    if (held + rows.RowCount() <= options.most_held_rows) {
      held += rows.RowCount();
      source.rows = std::move(rows);
    }
    changed.push_back(std::move(source));
  };
  const auto make = [&](const Changed& source) -> common::Result<ScopeRows> {
    if (source.repository != nullptr) {
      return RepositoryRows(*source.repository, keys.at(source.repository->repository.id));
    }
    return ProjectRows(view, *source.project);
  };
  for (const query::RepositoryView& repo : view.repositories) {
    Changed source;
    source.repository = &repo;
    LEADLINE_ASSIGN_OR_RETURN(ScopeRows rows, make(source));
    consider(std::move(rows), std::move(source));
  }
  for (const model::Project& project : view.projects) {
    Changed source;
    source.project = &project;
    LEADLINE_ASSIGN_OR_RETURN(ScopeRows rows, make(source));
    consider(std::move(rows), std::move(source));
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
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
  LEADLINE_RETURN_IF_ERROR(analytics.LockAnalyticsForRefresh());
  for (const store::AnalyticsScope& scope : gone) {
    LEADLINE_RETURN_IF_ERROR(analytics.DeleteAnalyticsScope(scope));
  }
  const std::vector<store::AnalyticsTable>& tables = store::AnalyticsTables();
  for (Changed& scope : changed) {
    if (!scope.rows) {
      LEADLINE_ASSIGN_OR_RETURN(ScopeRows rows, make(scope));  // the same view: the same rows
      scope.rows = std::move(rows);
    }
    LEADLINE_RETURN_IF_ERROR(analytics.DeleteAnalyticsScope(scope.scope));
    for (std::size_t t = 0; t < tables.size(); ++t) {
      LEADLINE_RETURN_IF_ERROR(analytics.InsertAnalyticsRows(tables[t], scope.rows->tables[t]));
    }
    LEADLINE_RETURN_IF_ERROR(analytics.SetAnalyticsDigest(scope.scope, scope.digest));
    record.rows_written += static_cast<std::int64_t>(scope.rows->RowCount());
    scope.rows.reset();
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
