#include "store/sql/webhook_rows.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>

#include "store/migrations.h"
#include "store/sql/migrator.h"
#include "store/sql/temp_store_test.h"

namespace leadline::store::sql {
namespace {

using WebhookRowsTest = TempStoreTest;

model::WebhookDelivery Delivery(const std::string& id, int attempt) {
  model::WebhookDelivery d;
  d.delivery_id = id;
  d.connection_id = 1;
  d.event_key = "pullrequest:updated";
  d.attempt = attempt;
  d.received_at = 100;
  d.body = R"({"repository": {"full_name": "acme/api"}})";
  return d;
}

// A first attempt naming acme/api, as the intake reads it.
model::WebhookDelivery OfApi(const std::string& id) {
  model::WebhookDelivery d = Delivery(id, 1);
  d.repository = "acme/api";
  return d;
}

TEST_P(WebhookRowsTest, EachDeliveryIsKeptOnceAndAppliedOnce) {
  EXPECT_TRUE(*store_->webhook_inbox().InsertDelivery(Delivery("a", 1)));
  EXPECT_FALSE(*store_->webhook_inbox().InsertDelivery(Delivery("a", 2)));  // Bitbucket's retry
  EXPECT_TRUE(*store_->webhook_inbox().InsertDelivery(Delivery("b", 1)));
  EXPECT_EQ(*store_->webhook_inbox().CountUnappliedDeliveries(), 2);
  auto pending = *store_->webhook_inbox().ClaimDeliveries("server-1", 110, 170, 10);
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].delivery_id, "a");
  EXPECT_EQ(pending[0].attempt, 1);
  EXPECT_EQ(pending[0].body, Delivery("a", 1).body);
  EXPECT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied({pending[0].id}, "server-1", 120,
                                                           "applied: synced a"),
            1);
  EXPECT_EQ(
      *store_->webhook_inbox().MarkDeliveriesApplied({pending[0].id}, "server-1", 121, "again"),
      0);  // once
  EXPECT_EQ(store_->webhook_inbox().FindDelivery("a")->value().outcome, "applied: synced a");
  EXPECT_EQ(*store_->webhook_inbox().CountUnappliedDeliveries(), 1);
  EXPECT_EQ(store_->webhook_inbox().ClaimDeliveries("server-1", 130, 190, 10)->at(0).delivery_id,
            "b");
  const auto last = *store_->webhook_inbox().LastDelivery(1);
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->delivery_id, "b");
  EXPECT_FALSE(store_->webhook_inbox().LastDelivery(2)->has_value());
}

TEST_P(WebhookRowsTest, DeliveriesAreMarkedTogetherOnlyWhereTheirClaimIsStillHeld) {
  for (const char* id : {"a", "b", "c", "d"})
    ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(Delivery(id, 1)));
  const auto held = *store_->webhook_inbox().ClaimDeliveries("server-1", 100, 160, 3);
  ASSERT_EQ(held.size(), 3u);
  // server-1's lease ends; server-2 takes everything over, and applies c itself.
  std::unique_ptr<Store> other = std::move(OpenStore(url_)).value();
  ASSERT_EQ(other->webhook_inbox().ClaimDeliveries("server-2", 161, 221, 10)->size(), 4u);
  ASSERT_EQ(
      *other->webhook_inbox().MarkDeliveriesApplied({held[2].id}, "server-2", 162, "applied: by 2"),
      1);
  ASSERT_TRUE(other->webhook_inbox().ReleaseDeliveryClaims("server-2").ok());
  ASSERT_EQ(store_->webhook_inbox().ClaimDeliveries("server-1", 163, 223, 10)->size(),
            3u);  // a, b, d again
  EXPECT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied({held[0].id, held[1].id, held[2].id},
                                                           "server-1", 164, "applied: by 1"),
            2);
  EXPECT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied({}, "server-1", 164, "nothing"), 0);
  EXPECT_EQ(store_->webhook_inbox().FindDelivery("a")->value().outcome, "applied: by 1");
  EXPECT_EQ(store_->webhook_inbox().FindDelivery("b")->value().applied_at, 164);
  EXPECT_EQ(store_->webhook_inbox().FindDelivery("c")->value().outcome, "applied: by 2");
  EXPECT_FALSE(store_->webhook_inbox().FindDelivery("d")->value().applied_at.has_value());
  EXPECT_EQ(*store_->webhook_inbox().CountUnappliedDeliveries(), 1);
}

TEST_P(WebhookRowsTest, TheLastDeliveryIsTheNewestWaitingOrApplied) {
  const auto deliver = [&](const std::string& id, std::int64_t connection,
                           const std::string& repository) {
    model::WebhookDelivery d = Delivery(id, 1);
    d.connection_id = connection;
    d.repository = repository;
    EXPECT_TRUE(*store_->webhook_inbox().InsertDelivery(d));
    return store_->webhook_inbox().FindDelivery(id)->value().id;
  };
  const auto newest = [](const Result<std::optional<model::WebhookDelivery>>& found) {
    return found.ok() && found->has_value() ? (*found)->delivery_id : std::string("none");
  };
  const std::int64_t a = deliver("a", 1, "acme/api");
  const std::int64_t b = deliver("b", 1, "acme/web");
  const std::int64_t c = deliver("c", 2, "acme/api");
  const std::int64_t d = deliver("d", 1, "acme/api");
  EXPECT_EQ(newest(store_->webhook_inbox().LastDelivery(1)), "d");  // all waiting
  EXPECT_EQ(newest(store_->webhook_inbox().LastDeliveryFor("acme/web")), "b");
  EXPECT_EQ(newest(store_->webhook_inbox().LastDelivery(3)), "none");
  ASSERT_EQ(store_->webhook_inbox().ClaimDeliveries("server-1", 100, 160, 10)->size(), 4u);
  // Marked newest first: an older delivery of the same repository marked later stays older.
  ASSERT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied({d, c}, "server-1", 110, "applied"), 2);
  ASSERT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied({a, b}, "server-1", 111, "applied"), 2);
  EXPECT_EQ(newest(store_->webhook_inbox().LastDelivery(1)), "d");  // all applied
  EXPECT_EQ(newest(store_->webhook_inbox().LastDelivery(2)), "c");
  EXPECT_EQ(newest(store_->webhook_inbox().LastDeliveryFor("acme/api")), "d");
  EXPECT_EQ(newest(store_->webhook_inbox().LastDeliveryFor("acme/web")), "b");
  EXPECT_EQ(store_->webhook_inbox().LastDelivery(1)->value().outcome, "applied");
  deliver("e", 2, "acme/api");  // waiting, newer than every applied one
  EXPECT_EQ(newest(store_->webhook_inbox().LastDelivery(2)), "e");
  EXPECT_EQ(newest(store_->webhook_inbox().LastDeliveryFor("acme/api")), "e");
  EXPECT_EQ(newest(store_->webhook_inbox().LastDelivery(1)), "d");
  EXPECT_EQ(newest(store_->webhook_inbox().LastDeliveryFor("acme/other")), "none");
}

TEST_P(WebhookRowsTest, AGroupOfDeliveriesGetsOneAnswerEach) {
  ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(Delivery("kept", 1)));
  const model::WebhookDelivery a = Delivery("a", 1), retry = Delivery("kept", 2),
                               a_again = Delivery("a", 2), b = Delivery("b", 1);
  const auto answers = store_->webhook_inbox().InsertDeliveries({&a, &retry, &a_again, &b});
  ASSERT_EQ(answers.size(), 4u);
  for (const auto& answer : answers) ASSERT_TRUE(answer.ok()) << answer.status().message();
  EXPECT_TRUE(*answers[0]);
  EXPECT_FALSE(*answers[1]);  // stored before
  EXPECT_FALSE(*answers[2]);  // stored by the same group
  EXPECT_TRUE(*answers[3]);
  EXPECT_EQ(*store_->webhook_inbox().CountUnappliedDeliveries(), 3);
  const auto pending = *store_->webhook_inbox().ClaimDeliveries("server-1", 110, 170, 10);
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending[1].delivery_id, "a");
  EXPECT_EQ(pending[1].attempt, 1);
  EXPECT_EQ(pending[1].received_at, 100);
  EXPECT_EQ(pending[1].body, a.body);
  EXPECT_TRUE(store_->webhook_inbox().InsertDeliveries({}).empty());
}

TEST_P(WebhookRowsTest, TheRepositoryReadAtIntakeSparesLoadingTheBody) {
  model::WebhookDelivery named = Delivery("named", 1);
  named.repository = "acme/api";
  ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(named));
  ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(
      Delivery("older", 1)));  // kept without its repository
  const auto pending = *store_->webhook_inbox().ClaimDeliveries("server-1", 100, 160, 10);
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].repository, "acme/api");
  EXPECT_EQ(pending[0].body, "");
  EXPECT_EQ(pending[1].repository, "");
  EXPECT_EQ(pending[1].body, Delivery("older", 1).body);
  EXPECT_EQ((*store_->webhook_inbox().FindDelivery("named"))->repository, "acme/api");
  // Housekeeping may be deferred on one connection and done by another.
  EXPECT_TRUE(store_->DeferMaintenance().ok());
  EXPECT_TRUE(store_->Maintain().ok());
}

TEST_P(WebhookRowsTest, OnlyTheBodiesOfOldAppliedDeliveriesArePruned) {
  // 1,200 applied deliveries received at 0..1199, then one pending old one and one applied new.
  for (int i = 0; i < 1200; ++i) {
    model::WebhookDelivery d = Delivery("old-" + std::to_string(i), 1);
    d.received_at = i;
    ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(d));
  }
  model::WebhookDelivery pending = Delivery("pending", 1);
  pending.received_at = 1200;
  ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(pending));
  model::WebhookDelivery recent = Delivery("recent", 1);
  recent.received_at = 5000;
  ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(recent));
  const std::vector<model::WebhookDelivery> received =
      *store_->webhook_inbox().ClaimDeliveries("server-1", 6000, 6060, 2000);
  for (const model::WebhookDelivery& d : received) {
    if (d.delivery_id != "pending") {
      ASSERT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied({d.id}, "server-1", 6000, "x"), 1);
    }
  }
  const auto bodies = [&] { return Count("SELECT COUNT(*) FROM webhook_bodies"); };
  ASSERT_EQ(bodies(), 1202);

  EXPECT_EQ(*store_->webhook_inbox().PruneDeliveryBodies(1100), 1100);  // in three transactions
  EXPECT_EQ(bodies(), 102);
  EXPECT_EQ(*store_->webhook_inbox().PruneDeliveryBodies(1100), 0);
  EXPECT_EQ(*store_->webhook_inbox().PruneDeliveryBodies(4000),
            100);  // not the pending one, not the recent one
  EXPECT_EQ(bodies(), 2);
  EXPECT_TRUE(store_->webhook_inbox().FindDelivery("old-5")->has_value());  // the rows stay
  EXPECT_EQ(store_->webhook_inbox().ClaimDeliveries("server-1", 6000, 6060, 10)->at(0).delivery_id,
            "pending");
  EXPECT_FALSE(
      *store_->webhook_inbox().InsertDelivery(Delivery("old-5", 2)));  // still a known retry
}

TEST_P(WebhookRowsTest, OldAppliedRowsArePrunedButTheNewestOfEachRepositoryAndTheWaiting) {
  // 1,100 applied deliveries of acme/api received at 0..1099, one of acme/web at 50, one waiting
  // at 60, one applied recently.
  const auto deliver = [&](const std::string& id, common::UnixSeconds at,
                           const std::string& repository) {
    model::WebhookDelivery d = Delivery(id, 1);
    d.received_at = at;
    d.repository = repository;
    EXPECT_TRUE(*store_->webhook_inbox().InsertDelivery(d));
  };
  for (int i = 0; i < 1100; ++i) deliver("old-" + std::to_string(i), i, "acme/api");
  deliver("web", 50, "acme/web");
  deliver("waiting", 60, "acme/api");
  deliver("recent", 5000, "acme/other");
  const std::vector<model::WebhookDelivery> claimed =
      *store_->webhook_inbox().ClaimDeliveries("server-1", 6000, 6060, 2000);
  ASSERT_EQ(claimed.size(), 1103u);
  std::vector<std::int64_t> applied;
  for (const model::WebhookDelivery& d : claimed) {
    if (d.delivery_id != "waiting") applied.push_back(d.id);
  }
  ASSERT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied(applied, "server-1", 6000, "x"), 1102);
  const auto rows = [&] { return Count("SELECT COUNT(*) FROM webhook_inbox"); };
  ASSERT_EQ(rows(), 1103);

  // Before 2000: every old row but acme/api's newest (old-1099) and acme/web's, with their
  // bodies, 500 to a transaction; not the waiting one, not the recent one.
  auto raw = RawConnection();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(*sql::PruneDeliveryRows(*raw, 2000, 700), 700);  // at most 700 a call
  EXPECT_EQ(rows(), 403);
  EXPECT_EQ(*store_->webhook_inbox().PruneDeliveryRows(2000), 399);
  EXPECT_EQ(rows(), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_bodies"), 2);  // the waiting and the recent
  EXPECT_EQ(*store_->webhook_inbox().PruneDeliveryRows(2000), 0);
  EXPECT_FALSE(store_->webhook_inbox().FindDelivery("old-0")->has_value());
  EXPECT_TRUE(store_->webhook_inbox().FindDelivery("old-1099")->has_value());
  EXPECT_EQ(store_->webhook_inbox().LastDeliveryFor("acme/web")->value().delivery_id, "web");
  EXPECT_TRUE(store_->webhook_inbox().FindDelivery("waiting")->has_value());
  EXPECT_EQ(*store_->webhook_inbox().CountUnappliedDeliveries(), 1);
  // A retry of a dropped delivery is a new one.
  EXPECT_TRUE(*store_->webhook_inbox().InsertDelivery(Delivery("old-0", 2)));
}

TEST_P(WebhookRowsTest, EachDeliveryIsClaimedByOneServerUntilItsLeaseEnds) {
  for (const char* id : {"a", "b", "c"})
    ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(Delivery(id, 1)));
  // Two servers, each on its own connection, as two processes would be.
  std::unique_ptr<Store> other = std::move(OpenStore(url_)).value();
  const auto first = *store_->webhook_inbox().ClaimDeliveries("server-1", 100, 160, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].delivery_id, "a");
  EXPECT_EQ(first[1].delivery_id, "b");
  const auto second = *other->webhook_inbox().ClaimDeliveries("server-2", 101, 161, 10);
  ASSERT_EQ(second.size(), 1u);  // what server-1 holds is not offered
  EXPECT_EQ(second[0].delivery_id, "c");
  EXPECT_TRUE(other->webhook_inbox().ClaimDeliveries("server-2", 102, 162, 10)->size() ==
              1);  // still only c

  // server-1 renews; then it dies: once its lease ends, server-2 takes its deliveries over, and
  // server-1's late outcome (had it lived) no longer counts.
  ASSERT_TRUE(store_->webhook_inbox().RenewDeliveryClaims("server-1", 200).ok());
  EXPECT_EQ(other->webhook_inbox().ClaimDeliveries("server-2", 180, 240, 10)->size(), 1u);
  const auto taken = *other->webhook_inbox().ClaimDeliveries("server-2", 201, 261, 10);
  ASSERT_EQ(taken.size(), 3u);
  EXPECT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied({first[0].id}, "server-1", 202,
                                                           "applied: late"),
            0);
  EXPECT_EQ(*other->webhook_inbox().MarkDeliveriesApplied({first[0].id}, "server-2", 203,
                                                          "applied: synced"),
            1);
  EXPECT_EQ(store_->webhook_inbox().FindDelivery("a")->value().outcome, "applied: synced");

  // A server stopping lets go at once.
  ASSERT_TRUE(other->webhook_inbox().ReleaseDeliveryClaims("server-2").ok());
  EXPECT_EQ(store_->webhook_inbox().ClaimDeliveries("server-1", 204, 264, 10)->size(), 2u);
  EXPECT_EQ(*store_->webhook_inbox().CountUnappliedDeliveries(), 2);
}

// A claim is a run of waiting deliveries: it stops where another server's run starts, and a
// server's next claim lets go of its run of before.
TEST_P(WebhookRowsTest, AClaimIsARunThatStopsAtAnotherServersRun) {
  for (const char* id : {"a", "b", "c", "d", "e", "f"}) {
    ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(Delivery(id, 1)));
  }
  std::unique_ptr<Store> other = std::move(OpenStore(url_)).value();
  const auto ids = [](const Result<std::vector<model::WebhookDelivery>>& claimed) {
    std::string out;
    if (!claimed.ok()) return claimed.status().message();
    for (const model::WebhookDelivery& d : *claimed) out += d.delivery_id;
    return out;
  };
  EXPECT_EQ(ids(store_->webhook_inbox().ClaimDeliveries("server-1", 100, 160, 2)), "ab");
  EXPECT_EQ(ids(other->webhook_inbox().ClaimDeliveries("server-2", 100, 160, 2)), "cd");
  ASSERT_TRUE(store_->webhook_inbox().ReleaseDeliveryClaims("server-1").ok());
  // a and b are free again; the run ends before server-2's.
  EXPECT_EQ(ids(other->webhook_inbox().ClaimDeliveries("server-3", 101, 161, 10)), "ab");
  EXPECT_EQ(ids(store_->webhook_inbox().ClaimDeliveries("server-1", 101, 161, 10)), "ef");
  // server-2's next claim drops its run of before: c and d come again, nothing of the others'.
  EXPECT_EQ(ids(other->webhook_inbox().ClaimDeliveries("server-2", 102, 162, 10)), "cd");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_claims"), 3);
  // server-3 renews, the others do not: at 170 their runs are taken over, server-3's is not.
  ASSERT_TRUE(other->webhook_inbox().RenewDeliveryClaims("server-3", 200).ok());
  EXPECT_EQ(ids(other->webhook_inbox().ClaimDeliveries("server-4", 170, 230, 10)), "cdef");
  EXPECT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied(
                {store_->webhook_inbox().FindDelivery("e")->value().id}, "server-1", 171, "late"),
            0);
}

// A delivery whose id falls in a run but whose transaction committed after the run was read is
// not lost: it waits for the run's release, then goes to the next claim.
TEST_P(WebhookRowsTest, ADeliveryCommittedInsideAClaimedRunGoesToTheNextClaim) {
  for (const char* id : {"a", "b", "c"})
    ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(Delivery(id, 1)));
  const std::int64_t b = store_->webhook_inbox().FindDelivery("b")->value().id;
  auto raw = RawConnection();
  ASSERT_NE(raw, nullptr);
  const auto run = [&](const std::string& sql) {
    auto stmt = raw->Prepare(sql);
    return stmt.ok() && stmt->Bind(1, b).Run().ok();
  };
  // b's id was handed out, but its transaction has not committed yet.
  ASSERT_TRUE(run("DELETE FROM webhook_pending WHERE delivery = ?"));
  const auto first = *store_->webhook_inbox().ClaimDeliveries("server-1", 100, 160, 10);
  ASSERT_EQ(first.size(), 2u);  // a and c: the run is a..c
  ASSERT_TRUE(run("INSERT INTO webhook_pending (delivery) VALUES (?)"));  // b commits
  std::unique_ptr<Store> other = std::move(OpenStore(url_)).value();
  EXPECT_TRUE(other->webhook_inbox()
                  .ClaimDeliveries("server-2", 101, 161, 10)
                  ->empty());  // in server-1's run
  ASSERT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied({first[0].id, first[1].id}, "server-1",
                                                           102, "done"),
            2);
  ASSERT_TRUE(store_->webhook_inbox().ReleaseDeliveryClaims("server-1").ok());
  const auto next = *other->webhook_inbox().ClaimDeliveries("server-2", 103, 163, 10);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].delivery_id, "b");
  EXPECT_EQ(*other->webhook_inbox().MarkDeliveriesApplied({b}, "server-2", 104, "done"), 1);
  EXPECT_EQ(*store_->webhook_inbox().CountUnappliedDeliveries(), 0);
}

TEST_P(WebhookRowsTest, ConnectionsKeepASealedWebhookSecret) {
  model::Connection connection;
  connection.name = "bitbucket-cloud/acme";
  const std::int64_t id = *store_->connections().UpsertConnection(connection);
  EXPECT_EQ(*store_->connections().LoadWebhookSecret(id), "");
  ASSERT_TRUE(store_->connections().SetWebhookSecret(id, "v1:sealed").ok());
  EXPECT_EQ(*store_->connections().LoadWebhookSecret(id), "v1:sealed");
  // Re-saving the connection (a new token) keeps the webhook secret.
  connection.sealed_secret = "v1:new-token";
  EXPECT_EQ(*store_->connections().UpsertConnection(connection), id);
  EXPECT_EQ(*store_->connections().LoadWebhookSecret(id), "v1:sealed");
}

// Deliveries kept before the waiting ones had a table of their own come through the migrations
// (that table's, then claims by runs): the waiting with their claims, the applied with who applied
// them.
TEST_P(WebhookRowsTest, WaitingAndAppliedDeliveriesKeepTheirStateThroughTheMigration) {
  std::unique_ptr<sql::Connection> db;
  std::span<const Migration> all;
  if (GetParam() == sql::Engine::kPostgres) {
    auto opened =
        postgres::PgConnection::Open(testing::PostgresForTest()->CreateDatabase(), "the test db");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db = std::move(opened).value();
    all = PostgresMigrations();
  } else {
    auto opened = sqlite::Database::Open((dir_ / "old.db").string());
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db = std::move(opened).value();
    all = SqliteMigrations();
  }
  // Up to the migration that made the waiting table (SQLite 37, PostgreSQL 24).
  const int pending_table = GetParam() == sql::Engine::kPostgres ? 24 : 37;
  const auto before = std::find_if(all.begin(), all.end(),
                                   [&](const Migration& m) { return m.version == pending_table; });
  ASSERT_NE(before, all.end());
  const auto older = static_cast<std::size_t>(before - all.begin());
  ASSERT_TRUE(sql::Migrate(*db, all.first(older), "'old'").ok());
  ASSERT_TRUE(db->Exec("INSERT INTO webhook_inbox (delivery_id, connection_id, event_key, "
                       "attempt, received_at, outcome, repository) VALUES "
                       "('applied', 1, 'repo:push', 1, CURRENT_TIMESTAMP, 'applied: synced', "
                       "'acme/api'), ('held', 1, 'repo:push', 1, CURRENT_TIMESTAMP, '', "
                       "'acme/api'), ('free', 1, 'repo:push', 1, CURRENT_TIMESTAMP, '', "
                       "'acme/api')")
                  .ok());
  // The old schema's claim (and, where `applied`, its outcome) on a delivery. Literals: bound text
  // must outlive the run.
  const auto claim = [&](std::string_view delivery, std::string_view by, std::int64_t until,
                         bool applied) {
    auto update = db->Prepare(std::string("UPDATE webhook_inbox SET ") +
                              (applied ? "applied_at = received_at, " : "") +
                              "claimed_by = ?, claimed_until = ? WHERE delivery_id = ?");
    return update.ok() && update->Bind(1, by).Bind(2, until).Bind(3, delivery).Run().ok();
  };
  ASSERT_TRUE(claim("applied", "server-0", 150, true));
  ASSERT_TRUE(claim("held", "server-1", 500, false));
  const auto applied = sql::Migrate(*db, all, "'old'");
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  ASSERT_EQ(applied->size(), all.size() - older);

  EXPECT_EQ(*sql::CountUnappliedDeliveries(*db), 2);
  // server-1's claim holds until its lease ends, then another takes the delivery over.
  const auto before_lease_ends = *sql::ClaimDeliveries(*db, "server-2", 400, 460, 10);
  ASSERT_EQ(before_lease_ends.size(), 1u);
  EXPECT_EQ(before_lease_ends[0].delivery_id, "free");
  const auto after_lease_ends = *sql::ClaimDeliveries(*db, "server-2", 501, 561, 10);
  ASSERT_EQ(after_lease_ends.size(), 2u);
  EXPECT_EQ(after_lease_ends[0].delivery_id, "held");
  EXPECT_EQ(*sql::MarkDeliveriesApplied(*db, {after_lease_ends[0].id}, "server-2", 502, "done"), 1);
  auto appliers = db->Prepare(
      "SELECT delivery_id, applied_by FROM webhook_inbox WHERE applied_at IS NOT "
      "NULL ORDER BY delivery_id");
  ASSERT_TRUE(appliers.ok()) << appliers.status().message();
  std::vector<std::string> rows;
  while (*appliers->Step()) {
    rows.push_back(std::string(appliers->ColumnText(0)) + " by " +
                   std::string(appliers->ColumnText(1)));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"applied by server-0", "held by server-2"}));
  // The newest applied delivery of the repository, kept by the migration, then by the mark.
  const auto last = sql::LastDelivery(*db, 1);
  ASSERT_TRUE(last.ok() && last->has_value()) << last.status().message();
  EXPECT_EQ((*last)->delivery_id, "free");  // still waiting, and the newest
  // The migration's row has no server's name; server-2 wrote its own, which supersedes it.
  EXPECT_EQ(*sql::DropSupersededNewestApplied(*db), 1);
  auto kept = db->Prepare("SELECT delivery, applied_by FROM webhook_newest_applied");
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  ASSERT_TRUE(*kept->Step());
  EXPECT_EQ(kept->ColumnInt(0), after_lease_ends[0].id);  // "held", newer than "applied"
  EXPECT_EQ(kept->ColumnText(1), "server-2");
  EXPECT_FALSE(*kept->Step());  // one connection and repository
}

TEST_P(WebhookRowsTest, EachServerKeepsItsNewestAppliedAndTheNewestOfAllIsRead) {
  for (const char* id : {"a", "b", "c"})
    ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(OfApi(id)));
  const auto id = [&](const char* delivery_id) {
    return store_->webhook_inbox().FindDelivery(delivery_id)->value().id;
  };
  const auto newest = [&] {
    const auto found = store_->webhook_inbox().LastDeliveryFor("acme/api");
    return found.ok() && found->has_value() ? (*found)->delivery_id : std::string("none");
  };
  std::unique_ptr<Store> other = std::move(OpenStore(url_)).value();
  ASSERT_EQ(store_->webhook_inbox().ClaimDeliveries("server-1", 100, 160, 1)->size(), 1u);  // a
  ASSERT_EQ(other->webhook_inbox().ClaimDeliveries("server-2", 100, 160, 1)->size(), 1u);   // b
  ASSERT_EQ(*other->webhook_inbox().MarkDeliveriesApplied({id("b")}, "server-2", 101, "applied"),
            1);
  ASSERT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied({id("a")}, "server-1", 102, "applied"),
            1);
  EXPECT_EQ(newest(), "c");  // still waiting
  ASSERT_TRUE(store_->webhook_inbox().ReleaseDeliveryClaims("server-1").ok());
  ASSERT_EQ(store_->webhook_inbox().ClaimDeliveries("server-1", 103, 163, 1)->size(), 1u);  // c
  ASSERT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied({id("c")}, "server-1", 104, "applied"),
            1);
  EXPECT_EQ(newest(), "c");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_newest_applied"), 2);    // a row per server
  EXPECT_EQ(*store_->webhook_inbox().DropSupersededNewestApplied(), 1);  // server-2's b
  EXPECT_EQ(*store_->webhook_inbox().DropSupersededNewestApplied(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_newest_applied WHERE applied_by = 'server-1'"), 1);
  EXPECT_EQ(newest(), "c");
  EXPECT_EQ(store_->webhook_inbox().LastDelivery(1)->value().delivery_id, "c");
}

TEST_P(WebhookRowsTest, ServersMarkingOneRepositoryAtOnceDoNotWaitForEachOther) {
  if (GetParam() != sql::Engine::kPostgres) GTEST_SKIP() << "SQLite takes one writer at a time";
  for (const char* id : {"x", "a", "b"})
    ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(OfApi(id)));
  const auto id = [&](const char* delivery_id) {
    return store_->webhook_inbox().FindDelivery(delivery_id)->value().id;
  };
  std::unique_ptr<Store> other = std::move(OpenStore(url_)).value();
  std::unique_ptr<Store> third = std::move(OpenStore(url_)).value();
  ASSERT_EQ(store_->webhook_inbox().ClaimDeliveries("server-1", 100, 160, 2)->size(), 2u);  // x, a
  ASSERT_EQ(other->webhook_inbox().ClaimDeliveries("server-2", 100, 160, 1)->size(), 1u);   // b
  ASSERT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied({id("x")}, "server-1", 101, "applied"),
            1);
  constexpr auto kPatience = std::chrono::seconds(3);
  {
    // server-1 marks a, of the same repository, and has not committed yet.
    auto transaction = store_->Begin();
    ASSERT_TRUE(transaction.ok());
    ASSERT_EQ(*store_->webhook_inbox().MarkDeliveriesApplied({id("a")}, "server-1", 102, "applied"),
              1);
    const std::int64_t b = id("b");
    auto marking = std::async(std::launch::async, [&] {
      return other->webhook_inbox().MarkDeliveriesApplied({b}, "server-2", 102, "applied");
    });
    const bool marked_at_once = marking.wait_for(kPatience) == std::future_status::ready;
    // The pruning passes over server-1's row (superseded by b, but being written).
    auto pruning = std::async(std::launch::async,
                              [&] { return third->webhook_inbox().DropSupersededNewestApplied(); });
    const bool pruned_at_once = pruning.wait_for(kPatience) == std::future_status::ready;
    // Committed before anything can return: the futures wait for their work when destroyed.
    EXPECT_TRUE(transaction->Commit().ok());
    EXPECT_TRUE(marked_at_once) << "server-2's mark waited for server-1's transaction";
    EXPECT_TRUE(pruned_at_once) << "the pruning waited for server-1's transaction";
    EXPECT_EQ(*marking.get(), 1);
    EXPECT_EQ(*pruning.get(), 0);
  }
  EXPECT_EQ(*third->webhook_inbox().DropSupersededNewestApplied(), 1);
  EXPECT_EQ(store_->webhook_inbox().LastDeliveryFor("acme/api")->value().delivery_id, "b");
}

LEADLINE_ON_EVERY_ENGINE(WebhookRowsTest);

}  // namespace
}  // namespace leadline::store::sql
