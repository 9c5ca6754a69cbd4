#include "store/sql/incident_service_rows.h"

#include <gtest/gtest.h>

#include "store/sql/temp_store_test.h"

namespace leadline::store::sql {
namespace {

class IncidentServiceRowsTest : public TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    model::Connection connection;
    connection.name = "pagerduty/api.pagerduty.com";
    connection.provider = model::Provider::kPagerDuty;
    connection.auth = model::AuthMethod::kPagerDutyToken;
    auto id = store_->connections().UpsertConnection(connection);
    ASSERT_TRUE(id.ok()) << id.status().message();
    connection_id_ = *id;
  }
  std::int64_t connection_id_ = 0;
};

TEST_P(IncidentServiceRowsTest, AListingRenamesServicesAndKeepsTheirMappings) {
  ASSERT_TRUE(store_->incidents()
                  .UpsertIncidentServices(
                      connection_id_, {{0, "PSVC2", "Payments", ""}, {0, "PSVC1", "Checkout", ""}})
                  .ok());
  EXPECT_TRUE(*store_->incidents().MapIncidentService(connection_id_, "PSVC1", "acme/shop*"));
  EXPECT_FALSE(*store_->incidents().MapIncidentService(connection_id_, "PNOPE", "acme/*"));
  // A later listing renames one service; what it leaves out is kept.
  ASSERT_TRUE(store_->incidents()
                  .UpsertIncidentServices(connection_id_, {{0, "PSVC1", "Checkout API", ""}})
                  .ok());
  const auto services = store_->incidents().LoadIncidentServices(connection_id_);
  ASSERT_TRUE(services.ok()) << services.status().message();
  EXPECT_EQ(*services, (std::vector<model::IncidentService>{
                           {connection_id_, "PSVC1", "Checkout API", "acme/shop*"},
                           {connection_id_, "PSVC2", "Payments", ""}}));
  EXPECT_EQ(store_->incidents().LoadIncidentServices(0)->size(), 2u);
  EXPECT_TRUE(store_->incidents().LoadIncidentServices(connection_id_ + 1)->empty());
}

TEST_P(IncidentServiceRowsTest, CountsAndCursorAreKeptApart) {
  EXPECT_FALSE(store_->incidents().LoadIncidentConnection(connection_id_)->has_value());
  // A cursor needs the connection's state first.
  EXPECT_FALSE(store_->incidents().SaveIncidentCursor(connection_id_, "w:1:2:0").ok());
  ASSERT_TRUE(store_->incidents().SaveIncidentCounts(connection_id_, {"P1", "P2"}).ok());
  ASSERT_TRUE(store_->incidents().SaveIncidentCursor(connection_id_, "w:1:2:0").ok());
  // Connecting again with other counts keeps where the sync stands.
  ASSERT_TRUE(store_->incidents().SaveIncidentCounts(connection_id_, {"high"}).ok());
  EXPECT_EQ(*store_->incidents().LoadIncidentConnection(connection_id_),
            (model::IncidentConnectionState{connection_id_, {"high"}, "w:1:2:0"}));
}

LEADLINE_ON_EVERY_ENGINE(IncidentServiceRowsTest);

}  // namespace
}  // namespace leadline::store::sql
