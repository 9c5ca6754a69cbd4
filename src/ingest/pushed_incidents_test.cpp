#include "ingest/pushed_incidents.h"

#include <gtest/gtest.h>

#include "ingest/connected_store_test.h"

namespace leadline::ingest {
namespace {

using PushedIncidentsTest = ConnectedStoreTest;

model::Incident Pushed(const std::string& id, const std::string& repository) {
  model::Incident incident;
  incident.id = id;
  incident.source = "api";
  incident.service = repository.empty() ? "api" : "";
  incident.severity = "P1";
  incident.title = "Checkout down";
  incident.started_at = 100;
  incident.repository = repository;
  return incident;
}

TEST_F(PushedIncidentsTest, AScopedWriterChangesOnlyIncidentsOfItsRepositories) {
  const WriteScope web{{{cloud_web_}}};
  ASSERT_EQ(
      StorePushedIncidents(*store_, {Pushed("I1", "acme/api"), Pushed("I2", "")}, {})->changed, 2u);
  const std::vector<model::Incident> before = *store_->incidents().LoadIncidents();

  // Moving another repository's incident, or one given by service alone, into its own.
  auto moved = StorePushedIncidents(*store_, {Pushed("I1", "acme/web")}, web);
  EXPECT_EQ(moved.status().code(), common::StatusCode::kNotFound);
  EXPECT_EQ(moved.status().message(), "no incident 'I1' in the token's projects");
  EXPECT_EQ(StorePushedIncidents(*store_, {Pushed("I2", "acme/web")}, web).status().message(),
            "no incident 'I2' in the token's projects");
  // Changing it where it is, or creating one there.
  model::Incident resolved = Pushed("I1", "acme/api");
  resolved.resolved_at = 200;
  auto changed = StorePushedIncidents(*store_, {resolved}, web);
  EXPECT_EQ(changed.status().code(), common::StatusCode::kNotFound);
  EXPECT_EQ(changed.status().message(), "no repository 'acme/api'");
  EXPECT_EQ(StorePushedIncidents(*store_, {Pushed("I3", "acme/api")}, web).status().message(),
            "no repository 'acme/api'");
  // Naming no repository at all.
  auto unnamed = StorePushedIncidents(*store_, {Pushed("I3", "")}, web);
  EXPECT_EQ(unnamed.status().code(), common::StatusCode::kPermissionDenied);
  // All or none: a good incident beside a refused one is not stored either.
  EXPECT_FALSE(
      StorePushedIncidents(*store_, {Pushed("I4", "acme/web"), Pushed("I1", "acme/web")}, web)
          .ok());
  EXPECT_EQ(*store_->incidents().LoadIncidents(), before);

  // Its own incidents: created, sent again unchanged, resolved.
  EXPECT_EQ(StorePushedIncidents(*store_, {Pushed("I4", "acme/web")}, web)->changed, 1u);
  EXPECT_EQ(StorePushedIncidents(*store_, {Pushed("I4", "acme/web")}, web)->changed, 0u);
  model::Incident own = Pushed("I4", "web");  // by name, as the metrics match it
  own.resolved_at = 300;
  EXPECT_EQ(StorePushedIncidents(*store_, {own}, web)->changed, 1u);
  EXPECT_EQ(*store_->incidents().FindIncident("api", "I4"), own);
}

TEST_F(PushedIncidentsTest, ALinkMustNameOnlyRepositoriesTheWriterMayWrite) {
  // "acme/api" and "api" name Cloud's and Data Center's repository both: the metrics count the
  // incident against each, so a writer of one of them only may not send it.
  const WriteScope cloud_api{{{cloud_api_}}};
  const WriteScope both_api{{{cloud_api_, dc_api_}}};
  for (const std::string link : {"acme/api", "API"}) {
    EXPECT_EQ(StorePushedIncidents(*store_, {Pushed("I1", link)}, cloud_api).status().message(),
              "no repository '" + link + "'");
  }
  EXPECT_EQ(StorePushedIncidents(*store_, {Pushed("I1", "ACME/API")}, both_api)->changed, 1u);
  // A link that names no connected repository is refused to every writer.
  EXPECT_EQ(StorePushedIncidents(*store_, {Pushed("I2", "acme/gone")}, {}).status().message(),
            "no repository 'acme/gone'");
}

TEST_F(PushedIncidentsTest, OnlyAWriterOfEverythingChangesOneWhoseLinkLeadsNowhere) {
  // Imported with a link to a repository not connected (any more).
  model::Incident orphan = Pushed("I1", "acme/gone");
  ASSERT_EQ(*store_->incidents().UpsertIncidents({orphan}), 1);
  EXPECT_EQ(StorePushedIncidents(*store_, {Pushed("I1", "acme/web")}, {{{cloud_web_}}})
                .status()
                .message(),
            "no incident 'I1' in the token's projects");
  EXPECT_EQ(StorePushedIncidents(*store_, {Pushed("I1", "acme/web")}, {})->changed, 1u);
}

TEST_F(PushedIncidentsTest, AnotherSourcesIncidentWithTheSameIdIsAnotherIncident) {
  model::Incident imported = Pushed("I1", "acme/api");
  imported.source = "import";
  ASSERT_EQ(*store_->incidents().UpsertIncidents({imported}), 1);
  EXPECT_EQ(StorePushedIncidents(*store_, {Pushed("I1", "acme/web")}, {{{cloud_web_}}})->changed,
            1u);
  EXPECT_EQ(*store_->incidents().FindIncident("import", "I1"), imported);
  EXPECT_EQ(store_->incidents().LoadIncidents()->size(), 2u);
}

}  // namespace
}  // namespace leadline::ingest
