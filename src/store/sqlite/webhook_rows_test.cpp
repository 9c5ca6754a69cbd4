#include "store/sqlite/webhook_rows.h"

#include <gtest/gtest.h>

#include "store/sqlite/temp_store_test.h"

namespace leadline::store::sqlite {
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

TEST_F(WebhookRowsTest, EachDeliveryIsKeptOnceAndAppliedOnce) {
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

TEST_F(WebhookRowsTest, TheRepositoryReadAtIntakeSparesLoadingTheBody) {
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

TEST_F(WebhookRowsTest, ConnectionsKeepASealedWebhookSecret) {
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

}  // namespace
}  // namespace leadline::store::sqlite
