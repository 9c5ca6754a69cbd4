// The cost of one request budget reservation shared through the store
// (store/sql/request_budget_rows.h): what a process pays, at most, for every 10 requests it sends
// on a connection whose budget the store counts (app/shared_request_budgets.h).
//  - one process: reservations of 10 one after another on one connection (one round trip each on
//    PostgreSQL, a write transaction on SQLite), microseconds each: median and p99;
//  - several processes at once (each its own store connection and thread) on the same
//    connection's budget, as servers syncing one upstream connection: reservations a second in
//    all, and the median and p99 of each.
// The allowance is large enough for every reservation to be granted; times are the real clock's,
// so minutes advance and are pruned as in a server.
//
//   leadline_request_budget_bench --store URL [--reservations 5000] [--processes 4]
//
// bench/request_budget.sh runs it on a SQLite file and on a PostgreSQL server of its own; see
// docs/benchmarks.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/time.h"
#include "store/store.h"

namespace {

using namespace leadline;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string store;
  int reservations = 5000;
  int processes = 4;
};

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--store") {
      options.store = value;
    } else if (flag == "--reservations") {
      options.reservations = std::stoi(value);
    } else if (flag == "--processes") {
      options.processes = std::stoi(value);
    } else {
      return false;
    }
  }
  return !options.store.empty() && options.reservations > 0 && options.reservations <= 1'000'000 &&
         options.processes > 0 && options.processes <= 64;
}

// Microseconds of each of `count` reservations on `store`; empty after printing an error.
std::vector<double> Reserve(store::Store& store, std::int64_t connection_id, int count) {
  std::vector<double> micros;
  micros.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const common::UnixSeconds now = common::NowUnixSeconds();
    const auto start = Clock::now();
    const auto grant =
        store.connections().ReserveRequests({connection_id, 10, 10'000'000, now, now + 60});
    const auto end = Clock::now();
    if (!grant.ok() || !grant->granted) {
      std::fprintf(stderr, "reservation %d: %s\n", i,
                   grant.ok() ? "refused" : grant.status().message().c_str());
      return {};
    }
    micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  return micros;
}

double Percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  const auto at = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  return values[at];
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: leadline_request_budget_bench --store URL [--reservations 1-1000000] "
                 "[--processes 1-64]\n");
    return 2;
  }
  std::vector<std::unique_ptr<store::Store>> stores;
  for (int i = 0; i < options.processes; ++i) {
    auto opened = store::OpenStore(options.store);
    if (!opened.ok()) {
      std::fprintf(stderr, "%s\n", opened.status().message().c_str());
      return 1;
    }
    stores.push_back(std::move(opened).value());
  }
  model::Connection connection;
  connection.name = "bitbucket-cloud/bench";
  const auto connection_id = stores[0]->connections().UpsertConnection(connection);
  if (!connection_id.ok()) {
    std::fprintf(stderr, "%s\n", connection_id.status().message().c_str());
    return 1;
  }
  Reserve(*stores[0], *connection_id, 100);  // warm: the row made, statements prepared

  const std::vector<double> alone = Reserve(*stores[0], *connection_id, options.reservations);
  if (alone.empty()) return 1;
  std::printf(
      "1 process: %d reservations, %.0f us median, %.0f us p99 (%.1f us a request in "
      "blocks of 10)\n",
      options.reservations, Percentile(alone, 0.5), Percentile(alone, 0.99),
      Percentile(alone, 0.5) / 10);

  std::vector<std::vector<double>> each(stores.size());
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < stores.size(); ++i) {
    threads.emplace_back(
        [&, i] { each[i] = Reserve(*stores[i], *connection_id, options.reservations); });
  }
  for (std::thread& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const std::vector<double>& micros : each) {
    if (micros.empty()) return 1;
    all.insert(all.end(), micros.begin(), micros.end());
  }
  std::printf(
      "%d processes at once on one connection: %.0f reservations/s in all, %.0f us "
      "median, %.0f us p99\n",
      options.processes, static_cast<double>(all.size()) / seconds, Percentile(all, 0.5),
      Percentile(all, 0.99));
  return 0;
}
