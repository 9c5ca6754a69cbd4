// Metric figures for a large project (engine/scope_metrics.h), against the same metrics computed
// over the same derived rows by two peers: SQL in SQLite (bench/sql_metrics.h) and DuckDB
// (bench/duckdb_metrics.h, through its Node package):
//  - snapshot build: from the store, every repository's history, deployments, pull requests,
//    activity and incidents analysed into the facts queries read;
//  - metric queries: every window (7, 30, 60, 90, 365 days, all) for every scope (the project,
//    one repository, a team's pull requests across the project), p50 and p90 over repeated runs;
//  - the same queries in each peer, checked to give the same numbers (the run fails if they do
//    not), and the ratios of their p50s to the engine's.
//
//   leadline_metrics_bench [--dir /tmp/leadline-metrics-bench] [--repositories 20]
//                          [--pull-requests 5000] [--deployments 1000] [--incidents 100]
//                          [--runs 15] [--duckdb bench/duckdb/metrics.mjs|none]
//
// bench/metrics_bench.sh installs DuckDB's package and runs it. The project is generated once
// into DIR/project.db (bench/project_generator.h) and reused while its shape is unchanged. See
// docs/benchmarks.md.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/repositories.h"
#include "app/stored_report.h"
#include "duckdb_metrics.h"
#include "project_generator.h"
#include "sql_metrics.h"
#include "store/store.h"

namespace {

using namespace leadline;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

struct Options {
  std::string dir = "/tmp/leadline-metrics-bench";
  bench::ProjectShape shape;
  int runs = 15;
  // bench/duckdb/metrics.mjs, or "none" to leave DuckDB out.
  std::string duckdb = LEADLINE_DUCKDB_SCRIPT;
};

bool ParseFlags(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--dir") {
      options.dir = value;
    } else if (bench::ApplyShapeFlag(flag, value, options.shape)) {
      continue;
    } else if (flag == "--duckdb") {
      options.duckdb = value;
    } else if (flag == "--runs") {
      options.runs = std::atoi(value);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return false;
    }
  }
  return (argc % 2) == 1;
}

std::string ShapeKey(const bench::ProjectShape& s) {
  return std::to_string(s.repositories) + " " + std::to_string(s.pull_requests_per_repository) +
         " " + std::to_string(s.commits_per_pull_request) + " " +
         std::to_string(s.deployments_per_repository) + " " +
         std::to_string(s.incidents_per_repository) + " " + std::to_string(s.people);
}

// Generates the project unless DIR holds one of the same shape.
bool EnsureProject(const Options& options, const std::string& db) {
  const std::string marker = options.dir + "/shape.txt";
  std::ifstream in(marker);
  std::string existing;
  std::getline(in, existing);
  if (existing == ShapeKey(options.shape) && std::filesystem::exists(db)) return true;
  std::filesystem::remove_all(options.dir);
  std::filesystem::create_directories(options.dir);
  const auto start = Clock::now();
  if (const common::Status generated = bench::GenerateProject(db, options.shape); !generated.ok()) {
    std::fprintf(stderr, "%s\n", generated.message().c_str());
    return false;
  }
  std::printf("generated the project in %.1f s\n", Ms(Clock::now() - start) / 1000);
  std::ofstream(marker) << ShapeKey(options.shape) << "\n";
  return true;
}

struct Scope {
  std::string name;
  std::vector<int> repositories;
  bool team = false;
};

// One row of the table: a scope and window, with each side's times and figures.
struct Row {
  std::string scope;
  const char* window = "";
  bench::PeerQuery query;
  engine::ScopeMetrics engine;
  std::vector<double> engine_ms, sqlite_ms, duckdb_ms;
};

bool Near(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max(1.0, std::fabs(b)); }

// A quantile or mean a peer reports (none for an empty sample) against the engine's.
bool Agree(std::optional<double> peer, double engine, std::size_t count) {
  return count == 0 ? !peer.has_value() : (peer && Near(*peer, engine));
}

// The figures on which a peer differs from the engine, comma-separated; empty when it agrees.
std::string Differences(const bench::SqlFigures& f, const engine::ScopeMetrics& metrics) {
  const engine::Summary& s = metrics.summary;
  const engine::StageSummary& stages = metrics.stages;
  const engine::Distribution* stage[5] = {&stages.coding, &stages.pickup, &stages.review,
                                          &stages.deploy, &stages.total};
  const std::pair<const char*, bool> checks[] = {
      {"deployments", f.deployments == static_cast<std::int64_t>(s.deployments)},
      {"attempts", f.attempts == static_cast<std::int64_t>(s.deployment_attempts)},
      {"failed", f.failed == static_cast<std::int64_t>(s.failed_deployments)},
      {"rework", f.rework == static_cast<std::int64_t>(s.rework_deployments)},
      {"lead time sample", f.lead_sample == static_cast<std::int64_t>(s.lead_time_s.count)},
      {"lead time median", Agree(f.lead_median, s.lead_time_s.median, s.lead_time_s.count)},
      {"lead time p75", Agree(f.lead_p75, s.lead_time_s.p75, s.lead_time_s.count)},
      {"lead time p90", Agree(f.lead_p90, s.lead_time_s.p90, s.lead_time_s.count)},
      {"lead time mean", Agree(f.lead_mean, s.lead_time_s.mean, s.lead_time_s.count)},
      {"recovery median", Agree(f.recovery_median, s.recovery_s.median, s.recovery_s.count)},
      {"deploys per week",
       f.deploys_per_week_median && Near(*f.deploys_per_week_median, s.frequency.deploys_per_week)},
      {"deploy days per week",
       f.deploy_days_per_week_median &&
           Near(*f.deploy_days_per_week_median, s.frequency.deploy_days_per_week)},
      {"pull requests merged", f.merged_pull_requests == static_cast<std::int64_t>(stages.merged)},
      {"coding median", Agree(f.stage_medians[0], stage[0]->median, stage[0]->count)},
      {"pickup median", Agree(f.stage_medians[1], stage[1]->median, stage[1]->count)},
      {"review median", Agree(f.stage_medians[2], stage[2]->median, stage[2]->count)},
      {"deploy median", Agree(f.stage_medians[3], stage[3]->median, stage[3]->count)},
      {"total median", Agree(f.stage_medians[4], stage[4]->median, stage[4]->count)},
  };
  std::string out;
  for (const auto& [name, agrees] : checks) {
    if (!agrees) out += (out.empty() ? "" : ", ") + std::string(name);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseFlags(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: leadline_metrics_bench [--dir DIR] [--repositories N] "
                 "[--pull-requests N] [--deployments N] [--incidents N] [--runs N] "
                 "[--duckdb SCRIPT|none]\n");
    return 2;
  }
  const std::string db = options.dir + "/project.db";
  if (!EnsureProject(options, db)) return 1;

  // Snapshot build: everything from the store into facts.
  auto opened = store::OpenStore(db);
  if (!opened.ok()) return std::fprintf(stderr, "%s\n", opened.status().message().c_str()), 1;
  std::unique_ptr<store::Store> store = std::move(opened).value();
  const auto build_start = Clock::now();
  auto repos = app::SelectedRepositories(*store, "");
  if (!repos.ok()) return std::fprintf(stderr, "%s\n", repos.status().message().c_str()), 1;
  engine::PeopleIndex people;
  std::vector<engine::RepositoryFacts> facts;
  std::size_t commits = 0, incidents = 0;
  double index_ms = 0;
  app::ReportOptions report_options;
  report_options.until = options.shape.end;
  for (const model::Repository& repo : *repos) {
    auto analysis = app::AnalyzeStored(*store, repo, report_options, &people);
    if (!analysis.ok()) return std::fprintf(stderr, "%s\n", analysis.status().message().c_str()), 1;
    commits += analysis->report.commits_in_graph;
    incidents += analysis->report.report.summary.incidents;
    const auto index_start = Clock::now();
    engine::IndexLeadTimes(analysis->metrics);  // as the server's view (app/metrics_snapshots)
    index_ms += Ms(Clock::now() - index_start);
    facts.push_back(std::move(analysis->metrics));
  }
  const double build_ms = Ms(Clock::now() - build_start);
  std::size_t deployments = 0, changes = 0, pull_requests = 0, counted_incidents = 0;
  for (const engine::RepositoryFacts& f : facts) {
    deployments += f.deployments.size();
    changes += f.changes.size();
    pull_requests += f.pull_requests.size();
    counted_incidents += f.incidents.size();
  }
  std::printf(
      "project: %zu repositories, %zu commits, %zu pull requests, %zu deployments, "
      "%zu incidents counted (%zu credited changes)\n",
      facts.size(), commits, pull_requests, deployments, counted_incidents, changes);
  (void)incidents;
  std::printf("snapshot build (store -> facts): %.0f ms, of which the lead-time indexes %.0f ms\n",
              build_ms, index_ms);

  auto sql = bench::SqlMetrics::Create(options.dir + "/facts.db", facts);
  if (!sql.ok()) return std::fprintf(stderr, "%s\n", sql.status().message().c_str()), 1;

  std::vector<Scope> scopes = {
      {"project", {}, false}, {"one repository", {0}, false}, {"team (10 people)", {}, true}};
  for (std::size_t r = 0; r < facts.size(); ++r) {
    scopes[0].repositories.push_back(static_cast<int>(r));
    scopes[2].repositories.push_back(static_cast<int>(r));
  }
  std::vector<std::string> team_members;
  for (int i = 0; i < 10; ++i) team_members.push_back("Person " + std::to_string(i * 3));
  const std::vector<std::uint32_t> team = people.Find(team_members);
  const std::pair<const char*, common::Seconds> windows[] = {
      {"7d", 7 * common::kDay},
      {"30d", 30 * common::kDay},
      {"60d", 60 * common::kDay},
      {"90d", 90 * common::kDay},
      {"365d", 365 * common::kDay},
      {"all", static_cast<common::Seconds>(options.shape.days + 2) * common::kDay}};

  // The engine and SQLite, run after run in turn; each figure checked against the engine's.
  std::vector<Row> rows;
  bool agree = true;
  for (const Scope& scope : scopes) {
    std::vector<const engine::RepositoryFacts*> pointers;
    for (int r : scope.repositories) pointers.push_back(&facts[static_cast<std::size_t>(r)]);
    for (const auto& [window_name, length] : windows) {
      Row row{scope.name, window_name, {scope.repositories, {}}, {}, {}, {}, {}};
      engine::ScopeQuery& query = row.query.query;
      query = {{options.shape.end - length, options.shape.end}, 2023, {}};
      if (scope.team) query.team = team;
      bench::SqlFigures figures;
      for (int run = 0; run < options.runs; ++run) {
        auto t0 = Clock::now();
        row.engine = engine::QueryScope(pointers, query).value();
        row.engine_ms.push_back(Ms(Clock::now() - t0));
        t0 = Clock::now();
        figures = sql->Query(scope.repositories, query).value();
        row.sqlite_ms.push_back(Ms(Clock::now() - t0));
      }
      if (const std::string differ = Differences(figures, row.engine); !differ.empty()) {
        std::fprintf(stderr, "SQLite's figures differ from the engine's for %s, %s: %s\n",
                     scope.name.c_str(), window_name, differ.c_str());
        agree = false;
      }
      rows.push_back(std::move(row));
    }
  }

  // DuckDB, in its own process over the same rows, all queries in turn.
  const bool with_duckdb = options.duckdb != "none";
  if (with_duckdb) {
    std::vector<bench::PeerQuery> queries;
    for (const Row& row : rows) queries.push_back(row.query);
    auto duckdb = bench::RunDuckDb(options.duckdb, options.dir, facts, queries, options.runs);
    if (!duckdb.ok()) return std::fprintf(stderr, "%s\n", duckdb.status().message().c_str()), 1;
    std::printf("DuckDB %s, %d threads: loaded the rows in %.0f ms\n", duckdb->version.c_str(),
                duckdb->threads, duckdb->load_ms);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      rows[i].duckdb_ms = duckdb->results[i].ms;
      const std::string differ = Differences(duckdb->results[i].figures, rows[i].engine);
      if (!differ.empty()) {
        std::fprintf(stderr, "DuckDB's figures differ from the engine's for %s, %s: %s\n",
                     rows[i].scope.c_str(), rows[i].window, differ.c_str());
        agree = false;
      }
    }
  }

  std::printf("\n%-18s %-6s %9s %11s %11s %11s %8s %8s\n", "scope", "window", "changes",
              "engine p50", "SQLite p50", "DuckDB p50", "SQLite", "DuckDB");
  std::vector<double> engine_all, sqlite_all, duckdb_all;
  for (const Row& row : rows) {
    const double engine_p50 = Percentile(row.engine_ms, 0.5);
    const double sqlite_p50 = Percentile(row.sqlite_ms, 0.5);
    engine_all.insert(engine_all.end(), row.engine_ms.begin(), row.engine_ms.end());
    sqlite_all.insert(sqlite_all.end(), row.sqlite_ms.begin(), row.sqlite_ms.end());
    duckdb_all.insert(duckdb_all.end(), row.duckdb_ms.begin(), row.duckdb_ms.end());
    std::printf("%-18s %-6s %9zu %8.2f ms %8.1f ms ", row.scope.c_str(), row.window,
                row.engine.summary.lead_time_s.count, engine_p50, sqlite_p50);
    if (with_duckdb) {
      const double duckdb_p50 = Percentile(row.duckdb_ms, 0.5);
      std::printf("%8.2f ms %7.0fx %7.1fx\n", duckdb_p50, sqlite_p50 / engine_p50,
                  duckdb_p50 / engine_p50);
    } else {
      std::printf("%11s %7.0fx %8s\n", "-", sqlite_p50 / engine_p50, "-");
    }
  }
  const double engine_p50 = Percentile(engine_all, 0.5);
  const double sqlite_p50 = Percentile(sqlite_all, 0.5);
  std::printf(
      "\nall queries: engine p50 %.2f ms, p90 %.2f ms, max %.2f ms; SQLite p50 %.1f ms, "
      "p90 %.1f ms (%.0fx)",
      engine_p50, Percentile(engine_all, 0.9), Percentile(engine_all, 1.0), sqlite_p50,
      Percentile(sqlite_all, 0.9), sqlite_p50 / engine_p50);
  if (with_duckdb) {
    const double duckdb_p50 = Percentile(duckdb_all, 0.5);
    std::printf("; DuckDB p50 %.2f ms, p90 %.2f ms (%.1fx)", duckdb_p50,
                Percentile(duckdb_all, 0.9), duckdb_p50 / engine_p50);
  }
  std::printf("\nratios: the peer's p50 over the engine's, same run; every figure agrees: %s\n",
              agree ? "yes" : "NO");
  if (!agree) {
    std::fprintf(stderr, "a peer's figures differ from the engine's (above): stopping\n");
    return 1;
  }

  const auto trend_start = Clock::now();
  std::vector<const engine::RepositoryFacts*> project;
  for (const auto& f : facts) project.push_back(&f);
  const auto trend =
      engine::WeeklyTrend(project,
                          {{options.shape.end - 365 * common::kDay, options.shape.end}, 2023, {}})
          .value();
  std::printf("weekly trend of the project over 365 days (%zu weeks): %.1f ms\n", trend.size(),
              Ms(Clock::now() - trend_start));
  return 0;
}
