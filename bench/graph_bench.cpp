// Phase benchmarks of a report over a filled store: loading the snapshot from SQLite, attributing
// every commit to its deployment, and computing the metrics; it also prints the commit graph's
// memory per commit. Fill the store first with `leadline report --git REPO --db DB`, then:
//
//   leadline_graph_bench --db DB --repo /abs/path/of/REPO [google-benchmark flags]
//
// See docs/benchmarks.md and bench/report_vs_revlist.sh.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "app/snapshot_loader.h"
#include "engine/dora_report.h"
#include "store/store.h"

namespace {

using namespace leadline;

struct Fixture {
  std::unique_ptr<store::Store> store;
  std::int64_t repo_id = 0;
  std::vector<model::Deployment> deployments;
  engine::Snapshot snapshot;
  engine::DeploymentAnalysis analysis;
};

const std::vector<std::string> kHotfixPrefixes = {"hotfix/", "hot-fix/", "fix/"};

Fixture* g_fixture = nullptr;

void BM_LoadSnapshot(benchmark::State& state) {
  for (auto _ : state) {
    auto snapshot = app::LoadSnapshot(*g_fixture->store, g_fixture->repo_id, kHotfixPrefixes);
    benchmark::DoNotOptimize(snapshot.ok());
  }
  state.counters["commits"] = static_cast<double>(g_fixture->snapshot.graph.size());
}

void BM_AnalyzeDeployments(benchmark::State& state) {
  for (auto _ : state) {
    auto analysis = engine::AnalyzeDeployments(g_fixture->snapshot, g_fixture->deployments, {});
    benchmark::DoNotOptimize(analysis.attribution.shipped_by.data());
  }
  state.counters["deployments"] = static_cast<double>(g_fixture->deployments.size());
}

void BM_BuildReport(benchmark::State& state) {
  const engine::ReportWindow all{g_fixture->deployments.front().finished_at,
                                 g_fixture->deployments.back().finished_at + 1};
  for (auto _ : state) {
    auto report = engine::BuildReport(g_fixture->snapshot, g_fixture->deployments,
                                      g_fixture->analysis, all, 2023);
    benchmark::DoNotOptimize(report.ok());
  }
}

BENCHMARK(BM_LoadSnapshot)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AnalyzeDeployments)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BuildReport)->Unit(benchmark::kMillisecond);

// Takes "--name value" out of argv; returns the value or "".
std::string TakeFlag(int& argc, char** argv, const char* name) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) != 0) continue;
    std::string value = argv[i + 1];
    for (int j = i; j + 2 < argc; ++j) argv[j] = argv[j + 2];
    argc -= 2;
    return value;
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string db = TakeFlag(argc, argv, "--db");
  const std::string repo = TakeFlag(argc, argv, "--repo");
  if (db.empty() || repo.empty()) {
    std::fprintf(stderr,
                 "usage: leadline_graph_bench --db DB --repo /abs/path [benchmark flags]\n");
    return 2;
  }
  Fixture fixture;
  auto store = store::OpenStore(db);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  fixture.store = std::move(store).value();
  auto found = fixture.store->repositories().FindRepository("git", repo);
  if (!found.ok() || !found->has_value()) {
    std::fprintf(stderr, "repository %s is not in %s: run leadline report first\n", repo.c_str(),
                 db.c_str());
    return 1;
  }
  fixture.repo_id = (*found)->id;
  fixture.deployments = *fixture.store->history().LoadDeployments(fixture.repo_id);
  fixture.snapshot = *app::LoadSnapshot(*fixture.store, fixture.repo_id, kHotfixPrefixes);
  fixture.analysis = engine::AnalyzeDeployments(fixture.snapshot, fixture.deployments, {});
  g_fixture = &fixture;

  const auto& graph = fixture.snapshot.graph;
  std::printf("commit graph: %zu commits, %zu bytes, %.1f bytes per commit\n", graph.size(),
              graph.MemoryBytes(),
              static_cast<double>(graph.MemoryBytes()) / static_cast<double>(graph.size()));
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
