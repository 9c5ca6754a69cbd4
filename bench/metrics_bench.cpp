// Metric figures for a large project (engine/scope_metrics.h), against the same metrics computed
// as SQL over the same derived rows in SQLite (bench/sql_metrics.h):
//  - snapshot build: from the store, every repository's history, deployments, pull requests,
//    activity and incidents analysed into the facts queries read;
//  - metric queries: every window (7, 30, 60, 90, 365 days, all) for every scope (the project,
//    one repository, a team's pull requests across the project), p50 and p90 over repeated runs;
//  - the same queries in SQL, checked to give the same numbers, and the ratio.
//
//   leadline_metrics_bench [--dir /tmp/leadline-metrics-bench] [--repositories 20]
//                          [--pull-requests 5000] [--deployments 1000] [--incidents 100]
//                          [--runs 15]
//
// The project is generated once into DIR/project.db (bench/project_generator.h) and reused while
// its shape is unchanged. See docs/benchmarks.md.
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
};

bool ParseFlags(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--dir") {
      options.dir = value;
    } else if (bench::ApplyShapeFlag(flag, value, options.shape)) {
      continue;
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

bool Agree(std::optional<double> a, double b, std::size_t count) {
  return count == 0 ? !a.has_value() : (a && std::fabs(*a - b) < 1e-6);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseFlags(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: leadline_metrics_bench [--dir DIR] [--repositories N] "
                 "[--pull-requests N] [--deployments N] [--incidents N] [--runs N]\n");
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
  app::ReportOptions report_options;
  report_options.until = options.shape.end;
  for (const model::Repository& repo : *repos) {
    auto analysis = app::AnalyzeStored(*store, repo, report_options, &people);
    if (!analysis.ok()) return std::fprintf(stderr, "%s\n", analysis.status().message().c_str()), 1;
    commits += analysis->report.commits_in_graph;
    incidents += analysis->report.report.summary.incidents;
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
  std::printf("snapshot build (store -> facts): %.0f ms\n", build_ms);

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

  std::vector<double> engine_all, sql_all;
  std::printf("\n%-18s %-5s %10s %10s %10s %10s %8s\n", "scope", "window", "changes", "engine p50",
              "sql p50", "ratio", "agree");
  for (const Scope& scope : scopes) {
    std::vector<const engine::RepositoryFacts*> pointers;
    for (int r : scope.repositories) pointers.push_back(&facts[static_cast<std::size_t>(r)]);
    for (const auto& [window_name, length] : windows) {
      engine::ScopeQuery query{{options.shape.end - length, options.shape.end}, 2023, {}};
      if (scope.team) query.team = team;
      std::vector<double> engine_ms, sql_ms;
      engine::ScopeMetrics metrics;
      bench::SqlFigures figures;
      for (int run = 0; run < options.runs; ++run) {
        auto t0 = Clock::now();
        metrics = engine::QueryScope(pointers, query).value();
        engine_ms.push_back(Ms(Clock::now() - t0));
        t0 = Clock::now();
        figures = sql->Query(scope.repositories, query).value();
        sql_ms.push_back(Ms(Clock::now() - t0));
      }
      const engine::Summary& s = metrics.summary;
      const bool agree =
          figures.deployments == static_cast<std::int64_t>(s.deployments) &&
          figures.failed == static_cast<std::int64_t>(s.failed_deployments) &&
          figures.lead_sample == static_cast<std::int64_t>(s.lead_time_s.count) &&
          Agree(figures.lead_median, s.lead_time_s.median, s.lead_time_s.count) &&
          Agree(figures.lead_p90, s.lead_time_s.p90, s.lead_time_s.count) &&
          Agree(figures.recovery_median, s.recovery_s.median, s.recovery_s.count) &&
          figures.deploys_per_week_median == s.frequency.deploys_per_week &&
          figures.merged_pull_requests == static_cast<std::int64_t>(metrics.stages.merged) &&
          Agree(figures.stage_medians[4], metrics.stages.total.median, metrics.stages.total.count);
      const double engine_p50 = Percentile(engine_ms, 0.5);
      const double sql_p50 = Percentile(sql_ms, 0.5);
      engine_all.insert(engine_all.end(), engine_ms.begin(), engine_ms.end());
      sql_all.insert(sql_all.end(), sql_ms.begin(), sql_ms.end());
      std::printf("%-18s %-5s %10zu %8.2f ms %8.1f ms %9.0fx %8s\n", scope.name.c_str(),
                  window_name, s.lead_time_s.count, engine_p50, sql_p50, sql_p50 / engine_p50,
                  agree ? "yes" : "NO");
      if (!agree) {
        std::fprintf(stderr, "the SQL figures differ from the engine's for %s, %s\n",
                     scope.name.c_str(), window_name);
        return 1;
      }
    }
  }
  const double engine_p50 = Percentile(engine_all, 0.5);
  const double sql_p50 = Percentile(sql_all, 0.5);
  std::printf(
      "\nall queries: engine p50 %.2f ms, p90 %.2f ms, max %.2f ms; SQL p50 %.1f ms, "
      "p90 %.1f ms; ratio of p50s %.0fx\n",
      engine_p50, Percentile(engine_all, 0.9), Percentile(engine_all, 1.0), sql_p50,
      Percentile(sql_all, 0.9), sql_p50 / engine_p50);

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
