#include "store/sql/incident_rows.h"

#include <gtest/gtest.h>

#include "store/migrations.h"
#include "store/sql/migrator.h"
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
  EXPECT_EQ(*store_->incidents().UpsertIncidents(first), 2);
  // The same report again changes nothing; a resolution changes one row.
  EXPECT_EQ(*store_->incidents().UpsertIncidents(first), 0);
  model::Incident resolved = Open("INC-1", 100);
  resolved.resolved_at = 160;
  EXPECT_EQ(*store_->incidents().UpsertIncidents({resolved}), 1);

  const std::vector<model::Incident> loaded = *store_->incidents().LoadIncidents();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0], resolved);  // oldest first
  EXPECT_EQ(loaded[1], late);
}

TEST_P(IncidentRowsTest, TheSameIdFromTwoSourcesIsTwoIncidents) {
  model::Incident imported = Open("INC-1", 100);
  model::Incident pushed = Open("INC-1", 300);
  pushed.source = "api";
  pushed.repository = "acme/web";
  ASSERT_EQ(*store_->incidents().UpsertIncidents({imported, pushed}), 2);
  // Pushing again updates the pushed one only, never adding a third.
  pushed.resolved_at = 400;
  EXPECT_EQ(*store_->incidents().UpsertIncidents({pushed}), 1);

  const std::vector<model::Incident> loaded = *store_->incidents().LoadIncidents();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0], imported);
  EXPECT_EQ(loaded[1], pushed);
  EXPECT_EQ(*store_->incidents().FindIncident("api", "INC-1"), pushed);
  EXPECT_EQ(*store_->incidents().FindIncident("import", "INC-1"), imported);
  EXPECT_FALSE(store_->incidents().FindIncident("pager", "INC-1")->has_value());
  EXPECT_FALSE(store_->incidents().FindIncident("api", "INC-2")->has_value());
}

TEST_P(IncidentRowsTest, ReopeningClearsTheResolution) {
  model::Incident incident = Open("INC-9", 100);
  incident.resolved_at = 200;
  ASSERT_EQ(*store_->incidents().UpsertIncidents({incident}), 1);
  incident.resolved_at.reset();
  EXPECT_EQ(*store_->incidents().UpsertIncidents({incident}), 1);
  EXPECT_FALSE(store_->incidents().LoadIncidents()->at(0).resolved_at.has_value());
}

TEST_P(IncidentRowsTest, AToolsIncidentKeepsItsAcknowledgementLinkAndConnection) {
  model::Incident paged = Open("PT4KHLK", 100);
  paged.source = "pagerduty";
  paged.acknowledged_at = 130;
  paged.link = "https://acme.pagerduty.com/incidents/PT4KHLK";
  paged.connection_id = 7;
  // The same id pushed through the API is another incident.
  model::Incident pushed = Open("PT4KHLK", 100);
  pushed.source = "api";
  ASSERT_EQ(*store_->incidents().UpsertIncidents({paged, pushed}), 2);
  EXPECT_EQ(*store_->incidents().FindIncident("pagerduty", "PT4KHLK"), paged);
  EXPECT_EQ(*store_->incidents().FindIncident("api", "PT4KHLK"), pushed);
  // A later acknowledgement time alone is a change; the same data again is none.
  EXPECT_EQ(*store_->incidents().UpsertIncidents({paged}), 0);
  paged.acknowledged_at = 140;
  EXPECT_EQ(*store_->incidents().UpsertIncidents({paged}), 1);
  EXPECT_EQ(store_->incidents().FindIncident("pagerduty", "PT4KHLK")->value().acknowledged_at, 140);
}

TEST_P(IncidentRowsTest, WhereAToolsIncidentsCauseWasReadIsKeptAndChangesCount) {
  model::Incident paged = Open("PT4KHLK", 100);
  paged.source = "pagerduty";
  paged.deployment = "tag:v1";
  paged.commit = "3f2a9c1";
  paged.named_by = model::kNamedByChangeEvent;
  ASSERT_EQ(*store_->incidents().UpsertIncidents({paged}), 1);
  EXPECT_EQ(*store_->incidents().FindIncident("pagerduty", "PT4KHLK"), paged);
  EXPECT_EQ(*store_->incidents().UpsertIncidents({paged}), 0);
  // The same deployment, now named by the incident's own field: a change.
  paged.named_by.clear();
  EXPECT_EQ(*store_->incidents().UpsertIncidents({paged}), 1);
  EXPECT_EQ(store_->incidents().FindIncident("pagerduty", "PT4KHLK")->value().named_by, "");
}

// Incidents stored before acknowledgements and links were kept come through the migration with
// their key and data, no acknowledgement, no link and no connection.
TEST_P(IncidentRowsTest, IncidentsStoredBeforeTheMigrationKeepTheirKeyAndData) {
  std::unique_ptr<sql::Connection> db;
  std::span<const Migration> all;
  std::size_t before = 0;
  if (GetParam() == sql::Engine::kPostgres) {
    const std::string url = testing::PostgresForTest()->CreateDatabase();
    auto opened = postgres::PgConnection::Open(url, "the test database");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db = std::move(opened).value();
    all = PostgresMigrations();
    before = 7;
  } else {
    auto opened = sqlite::Database::Open((dir_ / "old.db").string());
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db = std::move(opened).value();
    all = SqliteMigrations();
    before = 21;
  }
  ASSERT_TRUE(sql::Migrate(*db, all.first(before), "'old'").ok());
  auto insert = db->Prepare(
      "INSERT INTO incidents (source, id, service, severity, title, started_at, resolved_at, "
      "repository, deployment, commit_sha) VALUES (?, ?, 'api', 'P1', 'Down', ?, ?, '', '', '')");
  ASSERT_TRUE(insert.ok()) << insert.status().message();
  // Literals: bound text must outlive the run.
  insert->Bind(1, std::string_view("import")).Bind(2, std::string_view("INC-1")).Bind(3, 100);
  insert->Bind(4, 160);
  ASSERT_TRUE(insert->Run().ok());
  insert->Bind(1, std::string_view("api"))
      .Bind(2, std::string_view("INC-1"))
      .Bind(3, 200)
      .Bind(4, std::optional<common::UnixSeconds>());
  ASSERT_TRUE(insert->Run().ok());
  const auto applied = sql::Migrate(*db, all, "'old'");
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  ASSERT_FALSE(applied->empty());

  const auto loaded = sql::LoadIncidents(*db);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0].source, "import");
  EXPECT_EQ((*loaded)[0].resolved_at, 160);
  EXPECT_EQ((*loaded)[1].source, "api");
  EXPECT_EQ((*loaded)[1].id, "INC-1");
  for (const model::Incident& incident : *loaded) {
    EXPECT_FALSE(incident.acknowledged_at.has_value());
    EXPECT_EQ(incident.link, "");
    EXPECT_EQ(incident.connection_id, 0);
  }
}

LEADLINE_ON_EVERY_ENGINE(IncidentRowsTest);

}  // namespace
}  // namespace leadline::store::sql
