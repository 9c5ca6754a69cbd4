#include "store/sql/incident_rows.h"

#include <gtest/gtest.h>

#include "store/sql/temp_store_test.h"

namespace leadline::store::sql {
namespace {

using IncidentRowsTest = TempStoreTest;

model::Incident Open(const std::string& id, common::UnixSeconds started) {
  model::Incident incident;
  incident.id = id;
  incident.source = "import";
  incident.service = "api";
  incident.severity = "P1";
  incident.title = "Checkout down";
  incident.started_at = started;
  return incident;
}

TEST_P(IncidentRowsTest, UpsertsBySourceAndIdAndCountsOnlyRealChanges) {
  model::Incident late = Open("INC-2", 500);
  late.repository = "acme/api";
  late.commit = "0123456789ab";
  late.deployment = "#12";
  const std::vector<model::Incident> first = {late, Open("INC-1", 100)};
  EXPECT_EQ(*store_->UpsertIncidents(first), 2);
  // The same report again changes nothing; a resolution changes one row.
  EXPECT_EQ(*store_->UpsertIncidents(first), 0);
  model::Incident resolved = Open("INC-1", 100);
  resolved.resolved_at = 160;
  EXPECT_EQ(*store_->UpsertIncidents({resolved}), 1);

  const std::vector<model::Incident> loaded = *store_->LoadIncidents();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0], resolved);  // oldest first
  EXPECT_EQ(loaded[1], late);
}

TEST_P(IncidentRowsTest, TheSameIdFromTwoSourcesIsTwoIncidents) {
  model::Incident imported = Open("INC-1", 100);
  model::Incident pushed = Open("INC-1", 300);
  pushed.source = "api";
  pushed.repository = "acme/web";
  ASSERT_EQ(*store_->UpsertIncidents({imported, pushed}), 2);
  // Pushing again updates the pushed one only, never adding a third.
  pushed.resolved_at = 400;
  EXPECT_EQ(*store_->UpsertIncidents({pushed}), 1);

  const std::vector<model::Incident> loaded = *store_->LoadIncidents();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0], imported);
  EXPECT_EQ(loaded[1], pushed);
  EXPECT_EQ(*store_->FindIncident("api", "INC-1"), pushed);
  EXPECT_EQ(*store_->FindIncident("import", "INC-1"), imported);
  EXPECT_FALSE(store_->FindIncident("pager", "INC-1")->has_value());
  EXPECT_FALSE(store_->FindIncident("api", "INC-2")->has_value());
}

TEST_P(IncidentRowsTest, ReopeningClearsTheResolution) {
  model::Incident incident = Open("INC-9", 100);
  incident.resolved_at = 200;
  ASSERT_EQ(*store_->UpsertIncidents({incident}), 1);
  incident.resolved_at.reset();
  EXPECT_EQ(*store_->UpsertIncidents({incident}), 1);
  EXPECT_FALSE(store_->LoadIncidents()->at(0).resolved_at.has_value());
}

LEADLINE_ON_EVERY_ENGINE(IncidentRowsTest);

}  // namespace
}  // namespace leadline::store::sql
