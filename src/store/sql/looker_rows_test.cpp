#include "store/sql/looker_rows.h"

#include <gtest/gtest.h>

#include "store/sql/temp_store_test.h"

namespace leadline::store {
namespace {

using LookerRowsTest = TempStoreTest;

TEST_P(LookerRowsTest, TheConnectionIsOneRowReplacedAndItsTriggersRecorded) {
  Analytics& analytics = store_->analytics();
  auto none = analytics.LoadLookerConnection();
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_FALSE(none->has_value());
  // Nothing to record a trigger on: nothing happens.
  ASSERT_TRUE(analytics.RecordLookerTrigger(1000, "triggered").ok());
  EXPECT_FALSE(analytics.LoadLookerConnection()->has_value());

  ASSERT_TRUE(analytics
                  .SaveLookerConnection({"https://acme.cloud.looker.com", "id-1", "v1:sealed",
                                         1700000000, std::nullopt, ""})
                  .ok());
  ASSERT_TRUE(analytics.RecordLookerTrigger(1700000100, "triggered leadline::nightly").ok());
  auto loaded = analytics.LoadLookerConnection();
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->url, "https://acme.cloud.looker.com");
  EXPECT_EQ((*loaded)->client_id, "id-1");
  EXPECT_EQ((*loaded)->sealed_secret, "v1:sealed");
  EXPECT_EQ((*loaded)->connected_at, 1700000000);
  EXPECT_EQ((*loaded)->last_trigger_at, 1700000100);
  EXPECT_EQ((*loaded)->last_trigger_outcome, "triggered leadline::nightly");

  // Connecting again replaces the row and forgets the last trigger.
  ASSERT_TRUE(analytics
                  .SaveLookerConnection({"https://other.looker.com", "id-2", "v1:other", 1700000200,
                                         std::nullopt, ""})
                  .ok());
  loaded = analytics.LoadLookerConnection();
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->client_id, "id-2");
  EXPECT_EQ((*loaded)->connected_at, 1700000200);
  EXPECT_FALSE((*loaded)->last_trigger_at.has_value());
  EXPECT_EQ((*loaded)->last_trigger_outcome, "");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM looker_connection"), 1);
}

LEADLINE_ON_EVERY_ENGINE(LookerRowsTest);

}  // namespace
}  // namespace leadline::store
