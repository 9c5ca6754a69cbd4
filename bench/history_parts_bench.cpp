// What a first store of a long git history costs the server's webhook intake on SQLite: the
// history is stored (ingest::StoreGitHistory, as a sync stores a mirror's) into a new store
// while another connection inserts a webhook delivery every millisecond, as the intake would;
// prints how long the store took and how long the deliveries waited (p50, p99, longest), in one
// transaction (the peer: how a sync stored a history before) and in parts, alternately.
//   bench/history_parts.sh build/test /tmp/leadline-history-parts
//   build/test/bench/leadline_history_parts_bench --repo DIR --dir DIR [--parts N] [--rounds N]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "git/git_repository.h"
#include "ingest/git_sync.h"
#include "store/store.h"

namespace {

using Clock = std::chrono::steady_clock;
using leadline::model::WebhookDelivery;

struct Waits {
  double store_s = 0;
  std::vector<double> waits_ms;
};

double At(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(fraction * values.size()))];
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "history_parts_bench: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string repo_path, dir;
  std::int64_t parts = 20'000;
  int rounds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--repo") == 0) repo_path = argv[i + 1];
    if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
    if (std::strcmp(argv[i], "--parts") == 0) parts = std::stoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::stoi(argv[i + 1]);
  }
  if (repo_path.empty() || dir.empty()) {
    return Fail("usage: --repo GIT_DIR --dir WORK_DIR [--parts N] [--rounds N]");
  }
  auto repo = leadline::git::GitRepository::Open(repo_path);
  if (!repo.ok()) return Fail(repo.status().message());
  auto refs = repo->ReadRefs();
  if (!refs.ok()) return Fail(refs.status().message());

  auto run = [&](std::int64_t per_transaction) -> leadline::common::Result<Waits> {
    const std::string db = dir + "/history-parts.db";
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    LEADLINE_ASSIGN_OR_RETURN(auto store, leadline::store::OpenStore(db));
    LEADLINE_ASSIGN_OR_RETURN(auto intake, leadline::store::OpenStore(db));
    leadline::model::Repository repository;
    repository.source = "git";
    repository.location = repo_path;
    repository.name = "bench";
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t repo_id,
                              store->repositories().UpsertRepository(repository));
    Waits out;
    std::atomic<bool> done = false;
    std::thread deliveries([&] {
      WebhookDelivery delivery;
      delivery.connection_id = 1;
      delivery.event_key = "repo:push";
      delivery.received_at = 1'800'000'000;
      delivery.repository = "acme/api";
      delivery.body = std::string(11'000, 'x');
      for (int n = 0; !done; ++n) {
        delivery.delivery_id = "d-" + std::to_string(n);
        const auto start = Clock::now();
        if (!intake->webhook_inbox().InsertDelivery(delivery).ok())
          std::fprintf(stderr, "a delivery failed\n");
        out.waits_ms.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
    const auto start = Clock::now();
    auto transaction = store->Begin();
    leadline::common::Status stored = transaction.status();
    if (stored.ok()) {
      stored = leadline::ingest::StoreGitHistory(*store, *transaction, repo_id, *repo, *refs, {},
                                                 {}, per_transaction)
                   .status();
    }
    if (stored.ok()) stored = transaction->Commit();
    out.store_s = std::chrono::duration<double>(Clock::now() - start).count();
    done = true;
    deliveries.join();
    LEADLINE_RETURN_IF_ERROR(stored);
    return out;
  };

  std::printf("%-28s %10s %10s %10s %12s %11s\n", "", "store (s)", "wait p50", "wait p99",
              "longest wait", "deliveries");
  for (int round = 0; round < rounds; ++round) {
    for (const std::int64_t per_transaction : {std::int64_t{0}, parts}) {
      auto waits = run(per_transaction);
      if (!waits.ok()) return Fail(waits.status().message());
      const std::string name = per_transaction == 0
                                   ? "one transaction"
                                   : "parts of " + std::to_string(per_transaction) + " commits";
      std::printf("%-28s %10.3f %8.2fms %8.2fms %10.1fms %11zu\n", name.c_str(), waits->store_s,
                  At(waits->waits_ms, 0.5), At(waits->waits_ms, 0.99), At(waits->waits_ms, 1.0),
                  waits->waits_ms.size());
    }
  }
  return 0;
}
