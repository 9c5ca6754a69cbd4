// The analytics tables' rows (store/analytics.h, docs/bi.md) of one scope, made from the metrics
// view the REST API answers from (query/metrics_view.h): a repository's deployments, changes,
// pull requests, incidents, failure reasons and daily, weekly and quarterly metric rows, once per
// project holding it; a project's metric rows. The metric rows are the engine's scope query
// (engine/scope_metrics.h) over each day, week and quarter, as /v1/metrics/dora answers for the
// same scope and window. Pure functions over an immutable view; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/metrics_view.h"
#include "store/tables/analytics.h"

namespace leadline::app {

// One scope's rows, one list per table of store::AnalyticsTables(), in that order.
struct ScopeRows {
  store::AnalyticsScope scope;
  std::vector<std::vector<store::AnalyticsRow>> tables;
  std::size_t RowCount() const;
  // Names the rows' content: equal rows, equal digests (16 hex digits, FNV-1a).
  std::string Digest() const;
};

// The project keys of each repository of the view, by repository id ("" for a repository in no
// project); InvalidArgument naming a project whose name is not a usable key: access filters read
// `,` as "or" and `%` and `_` as wildcards.
common::Result<std::map<std::int64_t, std::vector<std::string>>> ProjectKeys(
    const query::MetricsView& view);

// The first second of the day (UTC), of the week (Monday, UTC) and of the calendar quarter
// (1 January, April, July or October, UTC) that holds `t`.
common::UnixSeconds DayStart(common::UnixSeconds t);
common::UnixSeconds WeekStart(common::UnixSeconds t);
common::UnixSeconds QuarterStart(common::UnixSeconds t);

common::Result<ScopeRows> RepositoryRows(const query::RepositoryView& repo,
                                         const std::vector<std::string>& project_keys);
// The project's repositories that the view holds (synced ones).
common::Result<ScopeRows> ProjectRows(const query::MetricsView& view,
                                      const model::Project& project);

// The newest time the view's data holds (a deployment finished, a pull request opened or merged,
// an incident begun or resolved); nullopt for a view without any.
std::optional<common::UnixSeconds> DataWatermark(const query::MetricsView& view);

}  // namespace leadline::app
