#include "sql_metrics.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace leadline::bench {
namespace {

using common::Result;
using common::Status;

Status Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return Status::Internal("sqlite: " + message + " in: " + sql);
  }
  return Status::Ok();
}

// A prepared statement run once per call, with its rows read by the caller.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  bool ok() const { return stmt_ != nullptr; }
  Statement& Bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& Bind(int i, std::optional<std::int64_t> v) {
    if (v) return Bind(i, *v);
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  bool Step() { return sqlite3_step(stmt_) == SQLITE_ROW; }
  // Runs an INSERT and makes the statement ready for the next one.
  void Run() {
    sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t Int(int i) const { return sqlite3_column_int64(stmt_, i); }
  double Real(int i) const { return sqlite3_column_double(stmt_, i); }
  bool Null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::string InList(const std::vector<int>& values) {
  std::string out;
  for (int v : values) out += (out.empty() ? "" : ",") + std::to_string(v);
  return "(" + out + ")";
}

std::string InList(const std::vector<std::uint32_t>& values) {
  std::string out;
  for (std::uint32_t v : values) out += (out.empty() ? "" : ",") + std::to_string(v);
  return "(" + (out.empty() ? std::string("-1") : out) + ")";
}

// The p-quantile (linear between closest ranks, as engine::Quantile) of `column` over the rows
// `where` selects, `count` of them.
std::optional<double> SqlQuantile(sqlite3* db, const std::string& table, const std::string& column,
                                  const std::string& where, std::int64_t count, double p,
                                  std::int64_t since, std::int64_t until) {
  if (count == 0) return std::nullopt;
  const double rank = p * static_cast<double>(count - 1);
  const auto lower = static_cast<std::int64_t>(std::floor(rank));
  Statement q(db, "SELECT " + column + " FROM " + table + " WHERE " + where + " ORDER BY " +
                      column + " LIMIT 2 OFFSET ?3");
  q.Bind(1, since).Bind(2, until).Bind(3, lower);
  if (!q.Step()) return std::nullopt;
  const double low = q.Real(0);
  const double high = q.Step() ? q.Real(0) : low;
  return low + (high - low) * (rank - static_cast<double>(lower));
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = 0.5 * static_cast<double>(values.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(rank));
  const std::size_t upper = std::min(lower + 1, values.size() - 1);
  return values[lower] + (values[upper] - values[lower]) * (rank - static_cast<double>(lower));
}

}  // namespace

SqlMetrics::~SqlMetrics() {
  if (db_ != nullptr) sqlite3_close(db_);
}

Result<SqlMetrics> SqlMetrics::Create(const std::string& path,
                                      const std::vector<engine::RepositoryFacts>& facts) {
  std::filesystem::remove(path);
  sqlite3* raw = nullptr;
  if (sqlite3_open(path.c_str(), &raw) != SQLITE_OK) {
    sqlite3_close(raw);
    return Status::Internal("cannot open " + path);
  }
  SqlMetrics out(raw);
  sqlite3* db = out.db_;
  LEADLINE_RETURN_IF_ERROR(Exec(db, R"sql(
PRAGMA journal_mode = WAL;
CREATE TABLE deployment_facts (repo INTEGER, finished_at INTEGER, success INTEGER, failed INTEGER,
  rework INTEGER, recovery_s INTEGER);
CREATE TABLE change_facts (repo INTEGER, deployed_at INTEGER, lead_s INTEGER);
CREATE TABLE pr_facts (repo INTEGER, merged_at INTEGER, author INTEGER, bot INTEGER,
  coding_s INTEGER, pickup_s INTEGER, review_s INTEGER, deploy_s INTEGER, total_s INTEGER);
BEGIN;
)sql"));
  {
    Statement deployment(db, "INSERT INTO deployment_facts VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    Statement change(db, "INSERT INTO change_facts VALUES (?1, ?2, ?3)");
    Statement pr(db, "INSERT INTO pr_facts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    for (std::size_t r = 0; r < facts.size(); ++r) {
      const auto repo = static_cast<std::int64_t>(r);
      for (const engine::DeploymentFact& d : facts[r].deployments) {
        deployment.Bind(1, repo).Bind(2, d.finished_at).Bind(3, d.success).Bind(4, d.failed);
        deployment.Bind(5, d.rework).Bind(6, d.recovery_s).Run();
      }
      for (const engine::ChangeFact& c : facts[r].changes) {
        change.Bind(1, repo).Bind(2, c.deployed_at).Bind(3, c.lead_s).Run();
      }
      for (const engine::PullRequestFact& p : facts[r].pull_requests) {
        pr.Bind(1, repo).Bind(2, p.merged_at).Bind(3, std::int64_t{p.author}).Bind(4, p.bot);
        pr.Bind(5, p.coding).Bind(6, p.pickup).Bind(7, p.review).Bind(8, p.deploy);
        pr.Bind(9, p.total).Run();
      }
    }
  }
  LEADLINE_RETURN_IF_ERROR(Exec(db, R"sql(
COMMIT;
CREATE INDEX deployment_facts_by_time ON deployment_facts (repo, finished_at);
CREATE INDEX change_facts_by_time ON change_facts (repo, deployed_at);
CREATE INDEX pr_facts_by_time ON pr_facts (repo, merged_at);
ANALYZE;
)sql"));
  return out;
}

Result<SqlFigures> SqlMetrics::Query(const std::vector<int>& repositories,
                                     const engine::ScopeQuery& query) {
  SqlFigures out;
  const std::int64_t since = query.window.since;
  const std::int64_t until = query.window.until;
  const std::string repos = "repo IN " + InList(repositories);
  const std::string deployed = repos + " AND finished_at >= ?1 AND finished_at < ?2";
  {
    Statement q(db_,
                "SELECT COUNT(*), COALESCE(SUM(success), 0), COALESCE(SUM(failed), 0), "
                "COALESCE(SUM(rework), 0) FROM deployment_facts WHERE " +
                    deployed);
    if (!q.ok()) return Status::Internal(sqlite3_errmsg(db_));
    q.Bind(1, since).Bind(2, until);
    q.Step();
    out.attempts = q.Int(0);
    out.deployments = q.Int(1);
    out.failed = q.Int(2);
    out.rework = q.Int(3);
  }
  {
    // Weekly buckets counted back from the window's end, as the engine's frequency measures.
    const std::int64_t weeks = std::max<std::int64_t>(1, (until - since) / common::kWeek);
    Statement q(db_,
                "SELECT (?2 - 1 - finished_at) / 604800 AS week, COUNT(*), "
                "COUNT(DISTINCT finished_at / 86400) FROM deployment_facts WHERE " +
                    deployed + " AND success = 1 GROUP BY week");
    q.Bind(1, since).Bind(2, until);
    std::vector<double> per_week(static_cast<std::size_t>(weeks), 0);
    std::vector<double> days(static_cast<std::size_t>(weeks), 0);
    while (q.Step()) {
      if (q.Int(0) >= weeks) continue;
      per_week[static_cast<std::size_t>(q.Int(0))] = static_cast<double>(q.Int(1));
      days[static_cast<std::size_t>(q.Int(0))] = static_cast<double>(q.Int(2));
    }
    out.deploys_per_week_median = Median(per_week);
    out.deploy_days_per_week_median = Median(days);
  }
  const std::string changed = repos + " AND deployed_at >= ?1 AND deployed_at < ?2";
  {
    Statement q(db_, "SELECT COUNT(*), AVG(lead_s) FROM change_facts WHERE " + changed);
    q.Bind(1, since).Bind(2, until);
    q.Step();
    out.lead_sample = q.Int(0);
    if (!q.Null(1)) out.lead_mean = q.Real(1);
  }
  out.lead_median =
      SqlQuantile(db_, "change_facts", "lead_s", changed, out.lead_sample, 0.5, since, until);
  out.lead_p75 =
      SqlQuantile(db_, "change_facts", "lead_s", changed, out.lead_sample, 0.75, since, until);
  out.lead_p90 =
      SqlQuantile(db_, "change_facts", "lead_s", changed, out.lead_sample, 0.9, since, until);
  {
    const std::string restored = deployed + " AND recovery_s IS NOT NULL";
    Statement q(db_, "SELECT COUNT(*) FROM deployment_facts WHERE " + restored);
    q.Bind(1, since).Bind(2, until);
    q.Step();
    out.recovery_median =
        SqlQuantile(db_, "deployment_facts", "recovery_s", restored, q.Int(0), 0.5, since, until);
  }
  std::string merged = repos + " AND merged_at >= ?1 AND merged_at < ?2";
  if (query.team) merged += " AND author IN " + InList(*query.team);
  {
    Statement q(db_, "SELECT COUNT(*) FROM pr_facts WHERE " + merged);
    q.Bind(1, since).Bind(2, until);
    q.Step();
    out.merged_pull_requests = q.Int(0);
  }
  const char* stages[5] = {"coding_s", "pickup_s", "review_s", "deploy_s", "total_s"};
  for (int i = 0; i < 5; ++i) {
    const std::string with_stage = merged + " AND bot = 0 AND " + stages[i] + " IS NOT NULL";
    Statement q(db_, "SELECT COUNT(*) FROM pr_facts WHERE " + with_stage);
    q.Bind(1, since).Bind(2, until);
    q.Step();
    out.stage_medians[i] =
        SqlQuantile(db_, "pr_facts", stages[i], with_stage, q.Int(0), 0.5, since, until);
  }
  return out;
}

}  // namespace leadline::bench
