// End-to-end tests of Bitbucket webhooks into `leadline serve`: signed deliveries against the
// real binary, applied through a sync from the local Bitbucket double, and a server killed with
// SIGKILL while deliveries arrive.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "common/time.h"
#include "store/store.h"
#include "testing/server_process.h"
#include "webhook_cli_fixture.h"

namespace {

using leadline::testing::LeadlineRun;
using leadline::testing::PullRequestUpdated;
using leadline::testing::ServerProcess;
using leadline::testing::WebhookCliTest;
using nlohmann::json;

TEST_F(WebhookCliTest, SignedDeliveriesAreStoredOnceAndAppliedBySyncingTheirRepository) {
  ServerProcess server(db(), Log(), "--max-body-kb 64");
  httplib::Client client("127.0.0.1", server.port());
  const std::string body = PullRequestUpdated("acme/repo-1", 7);

  auto accepted = Deliver(client, body, "{d-1}", Sign(body));
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 200) << accepted->body;
  EXPECT_EQ(json::parse(accepted->body), json::parse(R"({"accepted": true, "duplicate": false})"));
  auto retried = Deliver(client, body, "{d-1}", Sign(body), "pullrequest:updated", 2);
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->status, 200);
  EXPECT_EQ(json::parse(retried->body)["duplicate"], true);

  // Bad deliveries, each with its answer.
  EXPECT_EQ(Deliver(client, body, "{d-2}", "")->status, 401);
  EXPECT_EQ(
      Deliver(client, body, "{d-3}", leadline::sources::SignHubSignature(body, "wrong"))->status,
      401);
  EXPECT_EQ(Deliver(client, body + " ", "{d-4}", Sign(body))->status, 401);  // body changed
  EXPECT_EQ(Deliver(client, "{not json", "{d-5}", Sign("{not json"))->status, 400);
  EXPECT_EQ(Deliver(client, body, "", Sign(body))->status, 400);  // no delivery id
  const std::string shapeless = R"({"pullrequest": {"id": 7}})";
  auto wrong_shape = Deliver(client, shapeless, "{d-6}", Sign(shapeless));
  EXPECT_EQ(wrong_shape->status, 422) << wrong_shape->body;
  const std::string huge = PullRequestUpdated("acme/repo-1", 8) + std::string(70 * 1024, ' ');
  EXPECT_EQ(Deliver(client, huge, "{d-7}", Sign(huge))->status, 413);
  // An event key Leadline does not use is accepted, and recorded as ignored.
  const std::string issue = R"({"repository": {"full_name": "acme/repo-1"}, "issue": {}})";
  EXPECT_EQ(Deliver(client, issue, "{d-8}", Sign(issue), "issue:created")->status, 200);

  // Applied in the background: a sync of acme/repo-1 brings its pull requests in.
  auto store = std::move(leadline::store::OpenStore(db())).value();
  for (int i = 0; i < 600 && *store->webhook_inbox().CountUnappliedDeliveries() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(*store->webhook_inbox().CountUnappliedDeliveries(), 0);
  EXPECT_EQ(store->webhook_inbox().FindDelivery("{d-1}")->value().outcome,
            "applied: synced acme/repo-1");
  EXPECT_EQ(store->webhook_inbox().FindDelivery("{d-8}")->value().outcome,
            "ignored: event key issue:created is not used");
  EXPECT_FALSE(
      store->webhook_inbox().FindDelivery("{d-2}")->has_value());  // rejected ones are not kept
  // ... but audited: the signed ones a row each with the connection that signed them, the
  // unsigned, badly signed and oversized ones counted per client address and minute.
  const LeadlineRun audit = Leadline("audit");
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  const auto audited = [&](const std::string& status) {
    const std::string line =
        "webhook bitbucket-cloud/acme " + status + " POST   /v1/bitbucket/webhook\n";
    int count = 0;
    for (auto at = audit.out.find(line); at != std::string::npos;
         at = audit.out.find(line, at + 1)) {
      ++count;
    }
    return count;
  };
  EXPECT_EQ(audited("400"), 2) << audit.out;
  EXPECT_EQ(audited("422"), 1) << audit.out;
  EXPECT_EQ(audited("200"), 0) << audit.out;  // accepted deliveries are in the inbox instead
  std::map<std::string, std::int64_t> refused;
  for (int i = 0; i < 50 && refused.size() < 3; ++i) {  // written once a second
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    refused.clear();
    const auto counts = *store->audit().LoadAuditRefusals(100);
    for (const auto& count : counts) refused[count.reason] += count.count;
  }
  EXPECT_EQ(refused, (std::map<std::string, std::int64_t>{
                         {"unsigned", 1}, {"bad_signature", 2}, {"body_too_large", 1}}));
  const auto repos = *store->repositories().LoadConnectedRepositories();
  const auto repo = std::find_if(repos.begin(), repos.end(),
                                 [](const auto& r) { return r.location == "acme/repo-1"; });
  ASSERT_NE(repo, repos.end());
  EXPECT_FALSE(store->pull_requests().LoadPullRequests(repo->id)->empty());

  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("leadline_webhook_deliveries_total{outcome=\"accepted\"} 2"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("leadline_webhook_deliveries_total{outcome=\"duplicate\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics->body.find("leadline_webhook_deliveries_total{outcome=\"rejected\"} 6"),
            std::string::npos);
  const LeadlineRun status = Leadline("webhooks status");
  EXPECT_NE(status.out.find("bitbucket-cloud/acme: last delivery issue:created at "),
            std::string::npos)
      << status.out;
  // Per repository: the last delivery that named it (the unused event key, recorded).
  EXPECT_NE(status.out.find("acme/repo-1: no hook registered (leadline webhooks register), last "
                            "delivery issue:created at "),
            std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("ignored: event key issue:created is not used"), std::string::npos);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST_F(WebhookCliTest, EveryDeliveryAnswered200SurvivesAKill9ExactlyOnce) {
  // The killed server's claims on deliveries hold until their lease ends; a short one lets the
  // restarted server (a new claimant) take them over within the test.
  const std::string lease = "--work-lease 2s";
  auto server = std::make_unique<ServerProcess>(db(), Log(), lease);
  std::vector<std::string> acknowledged;
  std::atomic<int> answered = 0;
  std::thread sender([&, port = server->port()] {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(std::chrono::seconds(2));
    for (int i = 0; i < 2000; ++i) {
      // Deliveries for a repository that is not selected: applying them is quick.
      const std::string body = PullRequestUpdated("acme/repo-3", i);
      const std::string id = "{kill-" + std::to_string(i) + "}";
      auto response = Deliver(client, body, id, Sign(body));
      if (!response) break;  // the server is gone
      if (response->status == 200) acknowledged.push_back(id);
      ++answered;
    }
  });
  while (answered < 300) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(server->Stop(SIGKILL), 128 + SIGKILL);
  sender.join();
  ASSERT_GE(acknowledged.size(), 300u);

  // After a restart, every acknowledged delivery is in the inbox once, and gets applied.
  server = std::make_unique<ServerProcess>(db(), Log(), lease);
  auto store = std::move(leadline::store::OpenStore(db())).value();
  for (const std::string& id : acknowledged) {
    ASSERT_TRUE(store->webhook_inbox().FindDelivery(id)->has_value())
        << id << " was acknowledged but lost";
  }
  for (int i = 0; i < 600 && *store->webhook_inbox().CountUnappliedDeliveries() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(*store->webhook_inbox().CountUnappliedDeliveries(), 0);
  EXPECT_EQ(store->webhook_inbox().FindDelivery(acknowledged.front())->value().outcome,
            "ignored: acme/repo-3 is not a selected repository");
  // Sending an acknowledged delivery again is a duplicate: it stays once.
  httplib::Client client("127.0.0.1", server->port());
  const std::string body = PullRequestUpdated("acme/repo-3", 0);
  auto again = Deliver(client, body, "{kill-0}", Sign(body), "pullrequest:updated", 2);
  ASSERT_TRUE(again);
  EXPECT_EQ(json::parse(again->body)["duplicate"], true);
}

// A server killed while it applies a delivery (its sync waits on a slow upstream) held a claim
// on it for ten minutes; restarted, it claims under the same slot (app/server_slot.h) and takes
// the delivery back at once.
TEST_F(WebhookCliTest, ADeliveryAKilledServerHadClaimedIsAppliedAtOnceByItsRestart) {
  const std::string lease = "--work-lease 10m --reconcile-every off";
  auto server = std::make_unique<ServerProcess>(db(), Log(), lease);
  bitbucket_.SetLatency(std::chrono::milliseconds(300));
  httplib::Client client("127.0.0.1", server->port());
  const std::string body = PullRequestUpdated("acme/repo-1", 7);
  auto accepted = Deliver(client, body, "{slow-1}", Sign(body));
  ASSERT_TRUE(accepted);
  ASSERT_EQ(accepted->status, 200);
  const std::string claimed =
      "SELECT owner FROM webhook_pending JOIN webhook_claims ON webhook_pending.delivery "
      "BETWEEN first_delivery AND last_delivery JOIN webhook_inbox ON webhook_inbox.id = "
      "webhook_pending.delivery WHERE delivery_id = '{slow-1}'";
  for (int i = 0; i < 100 && Query(claimed).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(Query(claimed).empty()) << "the delivery was never claimed";
  EXPECT_EQ(server->Stop(SIGKILL), 128 + SIGKILL);
  bitbucket_.SetLatency(std::chrono::milliseconds(0));

  server = std::make_unique<ServerProcess>(db(), Log(), lease);
  auto store = std::move(leadline::store::OpenStore(db())).value();
  for (int i = 0; i < 300 && *store->webhook_inbox().CountUnappliedDeliveries() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(*store->webhook_inbox().CountUnappliedDeliveries(), 0)
      << "the killed server's claim held";
  EXPECT_EQ(store->webhook_inbox().FindDelivery("{slow-1}")->value().outcome,
            "applied: synced acme/repo-1");
}

TEST_F(WebhookCliTest, TwoHundredFiftySixConnectionsAreAllAnsweredAndSurviveAKill9) {
  constexpr int kConnections = 256;
  auto server = std::make_unique<ServerProcess>(db(), Log(), "--max-connections-per-client 1000");
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::atomic<int> answered = 0, failed_before_kill = 0;
  std::atomic<bool> killed = false;
  std::vector<std::string> failures;
  std::vector<std::thread> senders;
  for (int c = 0; c < kConnections; ++c) {
    senders.emplace_back([&, c, port = server->port()] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_connection_timeout(std::chrono::seconds(5));
      // Generous: on a loaded machine running the sanitizer build, 256 queued requests can take
      // seconds each; latency is the benchmark's business, this test's is that none is dropped.
      client.set_read_timeout(std::chrono::seconds(30));
      for (int i = 0; i < 40; ++i) {
        const std::string body = PullRequestUpdated("acme/repo-3", c * 1000 + i);
        const std::string id = "{c" + std::to_string(c) + "-" + std::to_string(i) + "}";
        auto response = Deliver(client, body, id, Sign(body));
        if (!response || response->status != 200) {
          // Before the kill, every request is answered 200: no timeouts, no refusals.
          if (!killed) {
            ++failed_before_kill;
            std::lock_guard lock(mutex);
            failures.push_back(response ? "status " + std::to_string(response->status)
                                        : std::string("no answer (timed out or closed)"));
          }
          break;
        }
        std::lock_guard lock(mutex);
        acknowledged.push_back(id);
        ++answered;
      }
    });
  }
  while (answered < 3000) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  killed = true;
  EXPECT_EQ(server->Stop(SIGKILL), 128 + SIGKILL);
  for (std::thread& sender : senders) sender.join();
  EXPECT_EQ(failed_before_kill, 0) << (failures.empty() ? "" : failures.front());
  ASSERT_GE(acknowledged.size(), 3000u);

  // After a restart, every acknowledged delivery is in the inbox exactly once.
  server = std::make_unique<ServerProcess>(db(), Log());
  auto store = std::move(leadline::store::OpenStore(db())).value();
  for (const std::string& id : acknowledged) {
    ASSERT_TRUE(store->webhook_inbox().FindDelivery(id)->has_value())
        << id << " was acknowledged but lost";
  }
  auto reader = RawStore();
  ASSERT_NE(reader, nullptr);
  auto rows = reader->Prepare("SELECT COUNT(*), COUNT(DISTINCT delivery_id) FROM webhook_inbox");
  ASSERT_TRUE(rows.ok() && *rows->Step());
  EXPECT_EQ(rows->ColumnInt(0), rows->ColumnInt(1));
  EXPECT_LE(static_cast<std::size_t>(rows->ColumnInt(0)), acknowledged.size() + kConnections);
}

}  // namespace

namespace {

TEST_F(WebhookCliTest, TheReconciliationPollSyncsWhatNoDeliveryAnnounced) {
  EXPECT_EQ(Leadline("serve --reconcile-every soon").exit_code, 1);
  ServerProcess server(db(), Log(), "--reconcile-every 1s");
  auto store = std::move(leadline::store::OpenStore(db())).value();
  const auto repos = *store->repositories().LoadConnectedRepositories();
  const auto repo = std::find_if(repos.begin(), repos.end(),
                                 [](const auto& r) { return r.location == "acme/repo-1"; });
  ASSERT_NE(repo, repos.end());
  for (int i = 0; i < 600 && store->pull_requests().LoadPullRequests(repo->id)->empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(store->pull_requests().LoadPullRequests(repo->id)->empty());
  httplib::Client client("127.0.0.1", server.port());
  std::string metrics;
  for (int i = 0; i < 100 && metrics.find("leadline_reconcile_last_run_ok") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    metrics = client.Get("/metrics")->body;
  }
  EXPECT_NE(metrics.find("leadline_reconcile_last_run_ok 1.000"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("leadline_sync_lag_seconds "), std::string::npos) << metrics;
  // The integration status API shows the same.
  const LeadlineRun token = Leadline("tokens create --name status --scopes read");
  ASSERT_EQ(token.exit_code, 0) << token.err;
  auto integration =
      client.Get("/v1/integrations/bitbucket",
                 {{"Authorization", "Bearer " + token.out.substr(0, token.out.find('\n'))}});
  ASSERT_TRUE(integration);
  ASSERT_EQ(integration->status, 200) << integration->body;
  const json reconciliation = json::parse(integration->body)["reconciliation"];
  EXPECT_EQ(reconciliation["every_s"], 1) << reconciliation.dump();
  EXPECT_TRUE(reconciliation["last_run_at"].is_string()) << reconciliation.dump();
  EXPECT_EQ(reconciliation["last_run_ok"], true) << reconciliation.dump();
  EXPECT_TRUE(reconciliation["error"].is_null()) << reconciliation.dump();
  EXPECT_LE(reconciliation["lag_s"].get<int>(), 5) << reconciliation.dump();
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST_F(WebhookCliTest, TheServerDropsTheBodiesOfDeliveriesAppliedOverAWeekAgo) {
  const leadline::common::UnixSeconds now = leadline::common::NowUnixSeconds();
  {
    auto store = std::move(leadline::store::OpenStore(db())).value();
    for (const auto& [id, age_days] : {std::pair{"{old}", 8}, std::pair{"{recent}", 6}}) {
      leadline::model::WebhookDelivery delivery;
      delivery.delivery_id = id;
      delivery.connection_id = 1;
      delivery.event_key = "pullrequest:updated";
      delivery.attempt = 1;
      delivery.received_at = now - age_days * 24 * 3600;
      delivery.repository = "acme/repo-1";
      delivery.body = PullRequestUpdated("acme/repo-1", 1);
      ASSERT_TRUE(*store->webhook_inbox().InsertDelivery(delivery));
    }
  }
  ServerProcess server(db(), Log());
  auto reader = RawStore();
  ASSERT_NE(reader, nullptr);
  const auto bodies = [&] {
    auto count = reader->Prepare("SELECT COUNT(*) FROM webhook_bodies");
    return count.ok() && *count->Step() ? count->ColumnInt(0) : -1;
  };
  // The server applies both at start (a sync), then drops the week-old body.
  for (int i = 0; i < 600 && bodies() != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(bodies(), 1);
  auto store = std::move(leadline::store::OpenStore(db())).value();
  EXPECT_TRUE(store->webhook_inbox()
                  .FindDelivery("{old}")
                  ->value()
                  .applied_at.has_value());  // the row stays
  EXPECT_TRUE(store->webhook_inbox().FindDelivery("{recent}")->has_value());
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST_F(WebhookCliTest, TheRetentionFlagsAreCheckedAndOldRowsDroppedAfterTheirs) {
  const auto refused = [&](const std::string& flags, const std::string& says) {
    const LeadlineRun run = Leadline("serve --listen 127.0.0.1:0 " + flags);
    EXPECT_EQ(run.exit_code, 1) << flags;
    EXPECT_NE(run.err.find(says), std::string::npos) << flags << ": " << run.err;
  };
  refused("--webhook-body-retention 40d",
          "--webhook-body-retention (40d) must not be longer than --webhook-retention (30d)");
  refused("--webhook-retention 10m", "must be at least 1h");
  refused("--webhook-retention soon", "--webhook-retention");
  refused("--webhook-body-retention 30m", "must be at least 1h");

  // Rows three days, bodies two: of acme/repo-1's deliveries four and two and a half days
  // old, the first goes, the second keeps its row (the newest of its repository is kept anyway).
  const leadline::common::UnixSeconds now = leadline::common::NowUnixSeconds();
  {
    auto store = std::move(leadline::store::OpenStore(db())).value();
    for (const auto& [id, age_hours] :
         {std::pair{"{four-days}", 96}, std::pair{"{older}", 60}, std::pair{"{newest}", 59}}) {
      leadline::model::WebhookDelivery delivery;
      delivery.delivery_id = id;
      delivery.connection_id = 1;
      delivery.event_key = "pullrequest:updated";
      delivery.attempt = 1;
      delivery.received_at = now - age_hours * 3600;
      delivery.repository = "acme/repo-1";
      delivery.body = PullRequestUpdated("acme/repo-1", 1);
      ASSERT_TRUE(*store->webhook_inbox().InsertDelivery(delivery));
    }
  }
  ServerProcess server(db(), Log(), "--webhook-retention 3d --webhook-body-retention 2d");
  auto reader = RawStore();
  ASSERT_NE(reader, nullptr);
  const auto count = [&](const char* sql) {
    auto statement = reader->Prepare(sql);
    return statement.ok() && *statement->Step() ? statement->ColumnInt(0) : -1;
  };
  const auto pruned = [&] {
    return count("SELECT COUNT(*) FROM webhook_inbox") == 2 &&
           count("SELECT COUNT(*) FROM webhook_bodies") == 0;
  };
  for (int i = 0; i < 600 && !pruned(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(pruned()) << count("SELECT COUNT(*) FROM webhook_inbox") << " rows, "
                        << count("SELECT COUNT(*) FROM webhook_bodies") << " bodies";
  auto store = std::move(leadline::store::OpenStore(db())).value();
  EXPECT_FALSE(store->webhook_inbox().FindDelivery("{four-days}")->has_value());
  EXPECT_TRUE(store->webhook_inbox().FindDelivery("{older}")->value().applied_at.has_value());
  EXPECT_TRUE(store->webhook_inbox().FindDelivery("{newest}")->has_value());
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

}  // namespace

namespace {

// PostgreSQL only: the database restarts while deliveries arrive. Each delivery is answered 200
// (kept) or 503 (not kept: Bitbucket retries it); nothing answered 200 is lost, and the server
// takes deliveries again once the database is back, without a restart of its own.
TEST_F(WebhookCliTest, ADatabaseRestartUnderLoadLosesNoAcknowledgedDelivery) {
  if (!OnPostgres()) GTEST_SKIP() << "a PostgreSQL fault (LEADLINE_TEST_STORE=postgres)";
  ServerProcess server(db(), Log());
  std::atomic<bool> sending{true};
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::map<int, int> answers;  // status -> count
  std::thread sender([&] {
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(30, 0);
    const std::string body = PullRequestUpdated("acme/repo-1", 9);
    for (int i = 0; sending && i < 20'000; ++i) {
      const std::string id = "{restart-" + std::to_string(i) + "}";
      auto answer = Deliver(client, body, id, Sign(body));
      std::lock_guard lock(mutex);
      answers[answer ? answer->status : 0]++;
      if (answer && answer->status == 200) acknowledged.push_back(id);
      if (answer && answer->status != 200) {
        EXPECT_EQ(answer->status, 503) << answer->body;
        EXPECT_NE(answer->body.find("\"error\""), std::string::npos) << answer->body;
      }
    }
  });
  const auto acknowledged_count = [&] {
    std::lock_guard lock(mutex);
    return acknowledged.size();
  };
  for (int i = 0; i < 200 && acknowledged_count() < 50; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto* postgres = leadline::store::testing::PostgresServer::Shared(nullptr);
  ASSERT_NE(postgres, nullptr);
  ASSERT_TRUE(postgres->Stop());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_TRUE(postgres->Start());
  const std::size_t after_restart = acknowledged_count();
  for (int i = 0; i < 400 && acknowledged_count() < after_restart + 50; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sending = false;
  sender.join();
  EXPECT_GE(acknowledged.size(), after_restart + 50) << "deliveries were not taken again";
  EXPECT_EQ(answers[0], 0) << "a delivery got no answer";

  auto store = std::move(leadline::store::OpenStore(db())).value();
  for (const std::string& id : acknowledged) {
    ASSERT_TRUE(store->webhook_inbox().FindDelivery(id)->has_value())
        << id << " was acknowledged but lost";
  }
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

}  // namespace
