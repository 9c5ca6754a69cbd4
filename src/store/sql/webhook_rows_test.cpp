#include "store/sql/webhook_rows.h"

#include <gtest/gtest.h>

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

TEST_P(WebhookRowsTest, EachDeliveryIsKeptOnceAndAppliedOnce) {
  EXPECT_TRUE(*store_->InsertDelivery(Delivery("a", 1)));
  EXPECT_FALSE(*store_->InsertDelivery(Delivery("a", 2)));  // Bitbucket's retry
  EXPECT_TRUE(*store_->InsertDelivery(Delivery("b", 1)));
  EXPECT_EQ(*store_->CountUnappliedDeliveries(), 2);
  auto pending = *store_->LoadUnappliedDeliveries(10);
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].delivery_id, "a");
  EXPECT_EQ(pending[0].attempt, 1);
  EXPECT_EQ(pending[0].body, Delivery("a", 1).body);
  ASSERT_TRUE(store_->MarkDeliveryApplied(pending[0].id, 120, "applied: synced acme/api").ok());
  EXPECT_EQ(*store_->CountUnappliedDeliveries(), 1);
  EXPECT_EQ(store_->LoadUnappliedDeliveries(10)->at(0).delivery_id, "b");
  const auto last = *store_->LastDelivery(1);
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->delivery_id, "b");
  EXPECT_FALSE(store_->LastDelivery(2)->has_value());
}

TEST_P(WebhookRowsTest, TheRepositoryReadAtIntakeSparesLoadingTheBody) {
  model::WebhookDelivery named = Delivery("named", 1);
  named.repository = "acme/api";
  ASSERT_TRUE(*store_->InsertDelivery(named));
  ASSERT_TRUE(*store_->InsertDelivery(Delivery("older", 1)));  // kept without its repository
  const auto pending = *store_->LoadUnappliedDeliveries(10);
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].repository, "acme/api");
  EXPECT_EQ(pending[0].body, "");
  EXPECT_EQ(pending[1].repository, "");
  EXPECT_EQ(pending[1].body, Delivery("older", 1).body);
  EXPECT_EQ((*store_->FindDelivery("named"))->repository, "acme/api");
  // Checkpoints may be deferred on one connection and run by another.
  EXPECT_TRUE(store_->DeferCheckpoints().ok());
  EXPECT_TRUE(store_->Checkpoint().ok());
}

TEST_P(WebhookRowsTest, OnlyTheBodiesOfOldAppliedDeliveriesArePruned) {
  // 1,200 applied deliveries received at 0..1199, then one pending old one and one applied new.
  for (int i = 0; i < 1200; ++i) {
    model::WebhookDelivery d = Delivery("old-" + std::to_string(i), 1);
    d.received_at = i;
    ASSERT_TRUE(*store_->InsertDelivery(d));
  }
  model::WebhookDelivery pending = Delivery("pending", 1);
  pending.received_at = 1200;
  ASSERT_TRUE(*store_->InsertDelivery(pending));
  model::WebhookDelivery recent = Delivery("recent", 1);
  recent.received_at = 5000;
  ASSERT_TRUE(*store_->InsertDelivery(recent));
  const std::vector<model::WebhookDelivery> received = *store_->LoadUnappliedDeliveries(2000);
  for (const model::WebhookDelivery& d : received) {
    if (d.delivery_id != "pending") {
      ASSERT_TRUE(store_->MarkDeliveryApplied(d.id, 6000, "x").ok());
    }
  }
  const auto bodies = [&] { return Count("SELECT COUNT(*) FROM webhook_bodies"); };
  ASSERT_EQ(bodies(), 1202);

  EXPECT_EQ(*store_->PruneDeliveryBodies(1100), 1100);  // in three transactions
  EXPECT_EQ(bodies(), 102);
  EXPECT_EQ(*store_->PruneDeliveryBodies(1100), 0);
  EXPECT_EQ(*store_->PruneDeliveryBodies(4000), 100);  // not the pending one, not the recent one
  EXPECT_EQ(bodies(), 2);
  EXPECT_TRUE(store_->FindDelivery("old-5")->has_value());  // the rows stay
  EXPECT_EQ(store_->LoadUnappliedDeliveries(10)->at(0).delivery_id, "pending");
  EXPECT_FALSE(*store_->InsertDelivery(Delivery("old-5", 2)));  // still a known retry
}

TEST_P(WebhookRowsTest, ConnectionsKeepASealedWebhookSecret) {
  model::Connection connection;
  connection.name = "bitbucket-cloud/acme";
  const std::int64_t id = *store_->UpsertConnection(connection);
  EXPECT_EQ(*store_->LoadWebhookSecret(id), "");
  ASSERT_TRUE(store_->SetWebhookSecret(id, "v1:sealed").ok());
  EXPECT_EQ(*store_->LoadWebhookSecret(id), "v1:sealed");
  // Re-saving the connection (a new token) keeps the webhook secret.
  connection.sealed_secret = "v1:new-token";
  EXPECT_EQ(*store_->UpsertConnection(connection), id);
  EXPECT_EQ(*store_->LoadWebhookSecret(id), "v1:sealed");
}

LEADLINE_ON_EVERY_ENGINE(WebhookRowsTest);

}  // namespace
}  // namespace leadline::store::sql
