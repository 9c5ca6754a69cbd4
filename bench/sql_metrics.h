// The same metrics as engine::QueryScope, computed the way SQL-dashboard tools compute them:
// derived rows (deployments with their outcome, changes with their lead time, merged pull requests
// with their stages) in SQLite tables indexed by repository and time, and one SQL query per
// figure (counts and sums, quantiles by ORDER BY ... LIMIT 2 OFFSET rank, weekly buckets by
// GROUP BY). For the benchmark's side-by-side comparison only.
#pragma once

#include <sqlite3.h>

#include <optional>
#include <string>
#include <vector>

#include "engine/scope_metrics.h"

namespace leadline::bench {

struct SqlFigures {
  std::int64_t deployments = 0;
  std::int64_t attempts = 0;
  std::int64_t failed = 0;
  std::int64_t rework = 0;
  std::int64_t lead_sample = 0;
  std::optional<double> lead_median, lead_p75, lead_p90, lead_mean;
  std::optional<double> recovery_median;
  std::optional<double> deploys_per_week_median, deploy_days_per_week_median;
  std::int64_t merged_pull_requests = 0;
  std::optional<double> stage_medians[5];  // coding, pickup, review, deploy, total
};

class SqlMetrics {
 public:
  // Creates the tables in a new SQLite file at `path` and fills them from `facts`.
  static common::Result<SqlMetrics> Create(const std::string& path,
                                           const std::vector<engine::RepositoryFacts>& facts);
  ~SqlMetrics();
  SqlMetrics(SqlMetrics&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  SqlMetrics(const SqlMetrics&) = delete;
  SqlMetrics& operator=(const SqlMetrics&) = delete;

  // `repositories` are indexes into the facts given to Create; `team` as in ScopeQuery.
  common::Result<SqlFigures> Query(const std::vector<int>& repositories,
                                   const engine::ScopeQuery& query);

 private:
  explicit SqlMetrics(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace leadline::bench
