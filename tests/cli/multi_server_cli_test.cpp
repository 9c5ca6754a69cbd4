// End-to-end tests of several `leadline serve` processes on one PostgreSQL store: signed webhook
// deliveries spread over three servers, one of them killed with SIGKILL mid-load, every delivery
// answered 200 applied exactly once by the others; and a server split into an api and a worker.
// On SQLite (one server to a file) they are skipped; the Postgres.* run has them.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "store/store.h"
#include "testing/server_process.h"
#include "webhook_cli_fixture.h"

namespace {

using leadline::testing::PullRequestUpdated;
using leadline::testing::ServerProcess;
using leadline::testing::WebhookCliTest;
using nlohmann::json;

class MultiServerCliTest : public WebhookCliTest {
 protected:
  void SetUp() override {
    if (!OnPostgres()) GTEST_SKIP() << "several servers share a PostgreSQL store, not SQLite";
    WebhookCliTest::SetUp();
  }
  // Waits until no delivery waits to be applied (or the time is up); returns how many wait.
  std::int64_t WaitUntilApplied(std::chrono::seconds limit) {
    auto store = std::move(leadline::store::OpenStore(db())).value();
    const auto until = std::chrono::steady_clock::now() + limit;
    while (*store->webhook_inbox().CountUnappliedDeliveries() > 0 &&
           std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return *store->webhook_inbox().CountUnappliedDeliveries();
  }
};

TEST_F(MultiServerCliTest, EveryDeliveryAnswered200IsAppliedOnceWhenOneOfThreeServersIsKilled) {
  // A short lease, so that the killed server's claims are taken over within the test.
  const std::string options = "--work-lease 2s --reconcile-every off";
  std::vector<std::unique_ptr<ServerProcess>> servers;
  for (int i = 0; i < 3; ++i) {
    servers.push_back(std::make_unique<ServerProcess>(
        db(), dir_.Child("serve-" + std::to_string(i) + ".log"), options));
  }
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::atomic<int> answered = 0;
  std::atomic<bool> killed = false;
  std::vector<std::thread> senders;
  for (int s = 0; s < 6; ++s) {
    // Two senders per server; the killed server's senders stop at the first failure.
    senders.emplace_back([&, s, port = servers[s % 3]->port()] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_connection_timeout(std::chrono::seconds(5));
      client.set_read_timeout(std::chrono::seconds(30));
      for (int i = 0; i < 100; ++i) {
        // Every tenth names the selected repository (a sync from the double), the rest one that
        // is not selected (quick to apply).
        const std::string repository = i % 10 == 0 ? "acme/repo-1" : "acme/repo-3";
        const std::string body = PullRequestUpdated(repository, s * 1000 + i);
        const std::string id = "{s" + std::to_string(s) + "-" + std::to_string(i) + "}";
        auto response = Deliver(client, body, id, Sign(body));
        if (!response || response->status != 200) {
          EXPECT_TRUE(killed && s % 3 == 0) << "server " << s % 3 << " failed a delivery";
          return;
        }
        std::lock_guard lock(mutex);
        acknowledged.insert(id);
        ++answered;
      }
    });
  }
  // Server 0 is killed while it holds claimed deliveries it has not applied: with the double
  // answering slowly, a batch naming the selected repository takes a while to sync.
  // Its claims carry its slot of the data directory's servers/ folder (app/server_slot.h): the
  // first, since it was started first.
  const std::string killed_id = ":slot-0:";
  const std::string held_by_killed =
      "FROM webhook_pending JOIN webhook_claims ON webhook_pending.delivery BETWEEN "
      "first_delivery AND last_delivery JOIN webhook_inbox ON webhook_inbox.id = "
      "webhook_pending.delivery WHERE owner LIKE '%" +
      killed_id + "%'";
  bitbucket_.SetLatency(std::chrono::milliseconds(150));
  std::string held;
  for (int i = 0; i < 600 && (answered < 200 || held.empty() || held == "0"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    held = Query("SELECT COUNT(*) " + held_by_killed);
  }
  ASSERT_NE(held, "0") << "server 0 never held a claim";
  std::set<std::string> taken_over;
  {
    auto raw = RawStore();
    ASSERT_NE(raw, nullptr);
    auto rows = raw->Prepare("SELECT delivery_id " + held_by_killed);
    ASSERT_TRUE(rows.ok());
    while (*rows->Step()) taken_over.insert(std::string(rows->ColumnText(0)));
  }
  killed = true;
  EXPECT_EQ(servers[0]->Stop(SIGKILL), 128 + SIGKILL);
  bitbucket_.SetLatency(std::chrono::milliseconds(0));
  for (std::thread& sender : senders) sender.join();
  ASSERT_GE(acknowledged.size(), 400u);  // the two servers left took all of theirs
  ASSERT_FALSE(taken_over.empty());

  // The two left apply everything, the killed server's claims too once its lease ended.
  EXPECT_EQ(WaitUntilApplied(std::chrono::seconds(60)), 0);
  auto raw = RawStore();
  ASSERT_NE(raw, nullptr);
  auto rows = raw->Prepare(
      "SELECT delivery_id, outcome, applied_by FROM webhook_inbox ORDER BY delivery_id");
  ASSERT_TRUE(rows.ok());
  std::set<std::string> stored, appliers;
  for (;;) {
    auto row = rows->Step();
    ASSERT_TRUE(row.ok());
    if (!*row) break;
    const std::string id(rows->ColumnText(0));
    const std::string outcome(rows->ColumnText(1));
    stored.insert(id);
    const std::string applier(rows->ColumnText(2));
    appliers.insert(applier);
    if (taken_over.contains(id)) {
      EXPECT_EQ(applier.find(killed_id), std::string::npos) << id << " was applied by the dead";
    }
    const bool selected = outcome.find("acme/repo-1") != std::string::npos;
    EXPECT_EQ(outcome, selected ? "applied: synced acme/repo-1"
                                : "ignored: acme/repo-3 is not a selected repository")
        << id;
  }
  for (const std::string& id : acknowledged) {
    EXPECT_TRUE(stored.contains(id)) << id << " was acknowledged but lost";
  }
  EXPECT_GE(appliers.size(), 2u);  // the work was shared
  EXPECT_FALSE(appliers.contains(""));
  // The repository's pull requests arrived through the servers' syncs.
  EXPECT_NE(Query("SELECT COUNT(*) FROM pull_requests"), "0");
  for (std::size_t i = 1; i < servers.size(); ++i) EXPECT_EQ(servers[i]->Stop(SIGTERM), 0);
}

TEST_F(MultiServerCliTest, AnApiServerTakesDeliveriesThatAWorkerApplies) {
  ServerProcess api(db(), dir_.Child("api.log"), "--role api --reconcile-every off");
  ServerProcess worker(db(), dir_.Child("worker.log"), "--role worker --reconcile-every off");
  httplib::Client to_api("127.0.0.1", api.port());
  httplib::Client to_worker("127.0.0.1", worker.port());
  // The worker answers only the operational endpoints.
  EXPECT_EQ(to_worker.Get("/healthz")->status, 200);
  EXPECT_EQ(to_worker.Get("/readyz")->status, 200);
  const std::string body = PullRequestUpdated("acme/repo-1", 1);
  auto refused = Deliver(to_worker, body, "{w-1}", Sign(body));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 404);

  // A delivery to the api server is applied by the worker, told at once (not by its look every
  // few seconds: the whole round trip stays well under that).
  const auto sent = std::chrono::steady_clock::now();
  auto accepted = Deliver(to_api, body, "{a-1}", Sign(body));
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 200);
  EXPECT_EQ(WaitUntilApplied(std::chrono::seconds(30)), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(4));
  EXPECT_EQ(Query("SELECT outcome FROM webhook_inbox WHERE delivery_id = '{a-1}'"),
            "applied: synced acme/repo-1");
  EXPECT_EQ(worker.Stop(SIGTERM), 0);
  EXPECT_EQ(api.Stop(SIGTERM), 0);
}

using ServeRoleCliTest = leadline::testing::BitbucketCliTest;

TEST_F(ServeRoleCliTest, BadRolesAndLeasesAreRefusedAndSplitRolesNeedPostgres) {
  for (const std::string& args :
       {std::string("serve --role nope"), std::string("serve --work-lease 0s"),
        std::string("serve --work-lease 2h"), std::string("serve --work-lease soon")}) {
    const auto run = Leadline(args + " --listen 127.0.0.1:0");
    EXPECT_EQ(run.exit_code, 1) << args;
    EXPECT_NE(run.err.find(args.find("role") != std::string::npos ? "--role" : "--work-lease"),
              std::string::npos)
        << args << ": " << run.err;
  }
  if (OnPostgres()) return;
  const auto split = Leadline("serve --role worker --listen 127.0.0.1:0");
  EXPECT_EQ(split.exit_code, 1);
  EXPECT_NE(split.err.find("--role worker needs a PostgreSQL store"), std::string::npos)
      << split.err;
}

}  // namespace
