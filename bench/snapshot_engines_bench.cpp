// The server's metrics view built from stores on different engines, in the same run: times
// app::MetricsSnapshots::Build (what `leadline serve` runs for its first view and after new data)
// on each store in turn, `--runs` times, and the store reads inside it on their own (every
// repository's commits streamed, its pull requests, their activity, its deployments; the
// incidents), so that a slower engine shows whether its reads or the rest cost the difference.
// The stores must hold the same data (e.g. a SQLite store and its `leadline store copy`): the run
// fails if the views differ in their counts. Prints each store's median (min-max) and its ratio to
// the first store's. Single-threaded; not part of the product.
//
//   leadline_snapshot_bench --store URL [--store URL ...] [--runs 3] [--data-dir DIR]
//
// bench/postgres_project.sh runs it on the benchmark project in SQLite and in PostgreSQL. See
// docs/benchmarks.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/metrics_snapshots.h"
#include "store/store.h"
#include "store/store_url.h"

namespace {

using namespace leadline;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

struct Options {
  std::vector<std::string> stores;
  int runs = 3;
  std::string data_dir = "/tmp/leadline-snapshot-bench";  // no leadline.toml: default settings
};

bool ParseFlags(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--store") {
      options.stores.push_back(value);
    } else if (flag == "--runs") {
      options.runs = std::atoi(value.c_str());
    } else if (flag == "--data-dir") {
      options.data_dir = value;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return false;
    }
  }
  return argc % 2 == 1 && !options.stores.empty() && options.runs >= 1 && options.runs <= 100;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// What two views of the same data must agree on.
struct ViewCounts {
  std::size_t repositories = 0, deployments = 0, changes = 0, pull_requests = 0, incidents = 0;
  std::size_t people = 0;
  bool operator==(const ViewCounts&) const = default;
};

ViewCounts Count(const query::MetricsView& view) {
  ViewCounts counts;
  counts.repositories = view.repositories.size();
  counts.people = view.people.size();
  for (const query::RepositoryView& repo : view.repositories) {
    counts.deployments += repo.facts.deployments.size();
    counts.changes += repo.facts.changes.size();
    counts.pull_requests += repo.facts.pull_requests.size();
    counts.incidents += repo.facts.incidents.size();
  }
  return counts;
}

// The store reads a build makes, timed on their own; the rows read, to check they are the same.
struct Reads {
  double seconds = 0;
  std::int64_t rows = 0;
};

common::Result<Reads> TimeReads(const std::string& url) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(url));
  const auto start = Clock::now();
  Reads reads;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                            store->repositories().LoadConnectedRepositories());
  for (const model::Repository& repo : repos) {
    std::size_t bytes = 0;  // touched, so the read is not only the engine's
    LEADLINE_RETURN_IF_ERROR(
        store->history().ForEachCommit(repo.id, [&](const store::CommitView& commit) {
          bytes += commit.sha.size() + commit.parent_shas.size() + commit.message.size();
          ++reads.rows;
        }));
    LEADLINE_ASSIGN_OR_RETURN(const auto pull_requests,
                              store->pull_requests().LoadPullRequests(repo.id));
    LEADLINE_ASSIGN_OR_RETURN(const auto activity,
                              store->pull_requests().LoadPullRequestActivity(repo.id));
    LEADLINE_ASSIGN_OR_RETURN(const auto deployments,
                              store->pipelines().LoadPlatformDeployments(repo.id));
    reads.rows += static_cast<std::int64_t>(pull_requests.size() + activity.size() +
                                            deployments.size() + (bytes == 0 ? 1 : 0));
  }
  LEADLINE_ASSIGN_OR_RETURN(const auto incidents, store->incidents().LoadIncidents());
  reads.rows += static_cast<std::int64_t>(incidents.size());
  reads.seconds = Seconds(Clock::now() - start);
  return reads;
}

struct Figures {
  std::string display;
  std::vector<double> build_s, reads_s;
  ViewCounts counts;
  std::int64_t rows = 0;
};

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string Spread(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  char out[64];
  std::snprintf(out, sizeof out, "%.3f-%.3f", values.front(), values.back());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseFlags(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: leadline_snapshot_bench --store URL [--store URL ...] [--runs 1-100] "
                 "[--data-dir DIR]\n");
    return 2;
  }
  std::filesystem::create_directories(options.data_dir);
  std::vector<Figures> figures(options.stores.size());
  std::printf("load average at the start: %s\n", LoadAverage().c_str());
  // Alternating stores run by run, so that a change in the machine's load falls on both.
  for (int run = 0; run < options.runs; ++run) {
    for (std::size_t s = 0; s < options.stores.size(); ++s) {
      Figures& f = figures[s];
      auto parsed = store::ParseStoreUrl(options.stores[s]);
      auto paths = config::ResolvePaths(options.stores[s], "", options.data_dir);
      if (!parsed.ok() || !paths.ok()) {
        std::fprintf(stderr, "%s\n",
                     (parsed.ok() ? paths.status() : parsed.status()).message().c_str());
        return 1;
      }
      f.display = parsed->display;
      const auto start = Clock::now();
      auto view = app::MetricsSnapshots::Build(*paths, "");
      const double seconds = Seconds(Clock::now() - start);
      if (!view.ok()) {
        std::fprintf(stderr, "%s: %s\n", f.display.c_str(), view.status().message().c_str());
        return 1;
      }
      f.build_s.push_back(seconds);
      f.counts = Count(**view);
      view->reset();  // freed before the reads are timed
      auto reads = TimeReads(options.stores[s]);
      if (!reads.ok()) {
        std::fprintf(stderr, "%s: %s\n", f.display.c_str(), reads.status().message().c_str());
        return 1;
      }
      f.reads_s.push_back(reads->seconds);
      f.rows = reads->rows;
      std::printf("run %d, %s: build %.3f s, store reads %.3f s\n", run + 1, f.display.c_str(),
                  seconds, reads->seconds);
      std::fflush(stdout);
    }
  }
  const ViewCounts& first = figures.front().counts;
  for (const Figures& f : figures) {
    if (!(f.counts == first) || f.rows != figures.front().rows) {
      std::fprintf(stderr, "the views of %s and %s differ\n", figures.front().display.c_str(),
                   f.display.c_str());
      return 1;
    }
  }
  std::printf(
      "view: %zu repositories, %zu deployments, %zu changes, %zu pull requests, %zu incidents, "
      "%zu people; %lld rows read\n",
      first.repositories, first.deployments, first.changes, first.pull_requests, first.incidents,
      first.people, static_cast<long long>(figures.front().rows));
  const double base_build = Median(figures.front().build_s);
  const double base_reads = Median(figures.front().reads_s);
  for (const Figures& f : figures) {
    std::printf("%s: snapshot build %.3f s (%s), %.2fx; its store reads alone %.3f s (%s), %.2fx\n",
                f.display.c_str(), Median(f.build_s), Spread(f.build_s).c_str(),
                Median(f.build_s) / base_build, Median(f.reads_s), Spread(f.reads_s).c_str(),
                Median(f.reads_s) / base_reads);
  }
  std::printf("load average at the end: %s\n", LoadAverage().c_str());
  return 0;
}
