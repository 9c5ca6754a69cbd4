// LoadIntegrationStatus over a real store (each engine): incident tools' connections beside code
// hosts', their services and mappings (stored and [services]), their sync's state, and what a
// caller limited to some projects may see of them.
#include "query/integrations.h"

#include <gtest/gtest.h>

#include "sources/contract/token_walk.h"
#include "sources/pagerduty/incident_walk.h"
#include "store/sql/temp_store_test.h"

namespace leadline::query {
namespace {

class IntegrationStatusTest : public store::TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    if (IsSkipped()) return;
    model::Connection host;
    host.name = "gitlab/gitlab.example.com";
    host.provider = model::Provider::kGitLab;
    host.url = "https://gitlab.example.com";
    host.check_outcome = "ok: dev";
    host_id_ = Stored(host);
    model::Connection pagerduty;
    pagerduty.name = "pagerduty/acme";
    pagerduty.provider = model::Provider::kPagerDuty;
    pagerduty.url = "https://api.pagerduty.com";
    pagerduty.auth = model::AuthMethod::kPagerDutyToken;
    pagerduty.check_outcome = "ok: Ops Person, 3 services";
    pagerduty_id_ = Stored(pagerduty);
    api_id_ = Repository("acme/api");
    web_id_ = Repository("acme/web");
    ASSERT_TRUE(store_->incidents()
                    .UpsertIncidentServices(pagerduty_id_, {{pagerduty_id_, "PAPI", "API", ""},
                                                            {pagerduty_id_, "PWEB", "Web", ""},
                                                            {pagerduty_id_, "POPS", "Ops", ""}})
                    .ok());
  }

  std::int64_t Stored(const model::Connection& connection) {
    auto id = store_->connections().UpsertConnection(connection);
    EXPECT_TRUE(id.ok()) << id.status().message();
    if (!id.ok()) return 0;
    EXPECT_TRUE(store_->connections()
                    .RecordConnectionCheck(*id, 1767225600, connection.check_outcome)
                    .ok());
    return *id;
  }

  std::int64_t Repository(const std::string& location) {
    model::Repository repo;
    repo.source = "gitlab";
    repo.location = location;
    repo.name = location.substr(location.find('/') + 1);
    repo.connection_id = host_id_;
    auto id = store_->repositories().UpsertRepository(repo);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }

  void Map(const std::string& service, const std::string& repos) {
    auto mapped = store_->incidents().MapIncidentService(pagerduty_id_, service, repos);
    ASSERT_TRUE(mapped.ok() && *mapped) << service;
  }

  IntegrationStatus Load(const auth::Principal& principal,
                         const engine::ConfiguredServices& configured = {}) {
    auto status = LoadIntegrationStatus(*store_, principal, configured);
    EXPECT_TRUE(status.ok()) << status.status().message();
    return status.ok() ? *status : IntegrationStatus();
  }

  // A caller limited to the repositories given.
  static auth::Principal LimitedTo(std::set<std::int64_t> repositories) {
    auth::Principal principal;
    principal.repositories = std::move(repositories);
    return principal;
  }

  const ConnectionStatus* Find(const IntegrationStatus& status, std::int64_t id) {
    for (const ConnectionStatus& item : status.connections) {
      if (item.connection.id == id) return &item;
    }
    return nullptr;
  }

  std::int64_t host_id_ = 0, pagerduty_id_ = 0, api_id_ = 0, web_id_ = 0;
};

TEST_P(IntegrationStatusTest, AnIncidentToolShowsItsServicesMappingsAndCounts) {
  Map("PAPI", "acme/api");
  ASSERT_TRUE(store_->incidents().SaveIncidentCounts(pagerduty_id_, {"P1", "P2"}).ok());
  const IntegrationStatus status = Load(auth::Principal{});
  ASSERT_EQ(status.connections.size(), 2u);
  const ConnectionStatus* host = Find(status, host_id_);
  ASSERT_NE(host, nullptr);
  EXPECT_FALSE(host->incident_tool.has_value());
  const ConnectionStatus* item = Find(status, pagerduty_id_);
  ASSERT_NE(item, nullptr);
  EXPECT_TRUE(item->connected);
  ASSERT_TRUE(item->incident_tool.has_value());
  EXPECT_EQ(item->incident_tool->services, 3u);
  EXPECT_EQ(item->incident_tool->mapped_services, 1u);
  EXPECT_EQ(item->incident_tool->configured_services, 0u);
  EXPECT_EQ(item->incident_tool->counts, (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ(item->incident_tool->sync, IncidentSyncState::kNever);
  EXPECT_FALSE(item->last_sync_at.has_value());
  EXPECT_EQ(item->selected_repositories, 0u);
}

TEST_P(IntegrationStatusTest, ServicesOfTheSettingsCountAsMappedAndWinOverTheStoredOnes) {
  Map("PAPI", "acme/api");
  // By name, without case, and by id; the settings unmap nothing they do not name.
  const IntegrationStatus status =
      Load(auth::Principal{}, {{"web", "acme/web"}, {"PAPI", "acme/nothing-here"}});
  const ConnectionStatus* item = Find(status, pagerduty_id_);
  ASSERT_NE(item, nullptr);
  ASSERT_TRUE(item->incident_tool.has_value());
  EXPECT_EQ(item->incident_tool->mapped_services, 2u);
  EXPECT_EQ(item->incident_tool->configured_services, 2u);

  // PAPI's stored mapping is acme/api, but the settings send it elsewhere: a caller limited to
  // acme/api sees no service of the connection, and so not the connection.
  EXPECT_EQ(Find(Load(LimitedTo({api_id_}), {{"PAPI", "acme/nothing-here"}}), pagerduty_id_),
            nullptr);
  EXPECT_NE(Find(Load(LimitedTo({api_id_})), pagerduty_id_), nullptr);
}

TEST_P(IntegrationStatusTest, TheSyncStateComesFromTheStoredCursor) {
  ASSERT_TRUE(store_->incidents().SaveIncidentCounts(pagerduty_id_, {"P1"}).ok());
  ASSERT_TRUE(store_->incidents()
                  .SaveIncidentCursor(pagerduty_id_,
                                      sources::pagerduty::EncodeWalk({1000, 2000, 5000, 100}))
                  .ok());
  const IntegrationStatus cut = Load(auth::Principal{});
  const ConnectionStatus* walking = Find(cut, pagerduty_id_);
  ASSERT_NE(walking, nullptr);
  EXPECT_EQ(walking->incident_tool->sync, IncidentSyncState::kInProgress);
  EXPECT_FALSE(walking->last_sync_at.has_value());

  ASSERT_TRUE(store_->incidents()
                  .SaveIncidentCursor(pagerduty_id_, sources::EncodeWalkEnd(1767225600))
                  .ok());
  const IntegrationStatus status = Load(auth::Principal{});
  const ConnectionStatus* synced = Find(status, pagerduty_id_);
  ASSERT_NE(synced, nullptr);
  EXPECT_EQ(synced->incident_tool->sync, IncidentSyncState::kSynced);
  EXPECT_EQ(synced->last_sync_at, std::optional<common::UnixSeconds>(1767225600));
  EXPECT_STREQ(IncidentSyncStateName(synced->incident_tool->sync), "synced");
}

TEST_P(IntegrationStatusTest, ALimitedCallerSeesAnIncidentToolOnlyThroughItsMappedServices) {
  // Nothing mapped: a limited caller does not see the connection; every project does.
  EXPECT_EQ(Find(Load(LimitedTo({api_id_, web_id_})), pagerduty_id_), nullptr);
  EXPECT_NE(Find(Load(auth::Principal{}), pagerduty_id_), nullptr);

  Map("PAPI", "acme/api");
  Map("POPS", "acme/*");
  model::WebhookDelivery delivery;
  delivery.delivery_id = "d-1";
  delivery.connection_id = pagerduty_id_;
  delivery.event_key = "incident.triggered";
  delivery.received_at = 1767225600;
  delivery.body = "{}";
  ASSERT_TRUE(store_->webhook_inbox().InsertDelivery(delivery).ok());

  const IntegrationStatus all = Load(auth::Principal{});
  const ConnectionStatus* every = Find(all, pagerduty_id_);
  ASSERT_NE(every, nullptr);
  ASSERT_TRUE(every->last_delivery.has_value());
  EXPECT_EQ(every->last_delivery->event_key, "incident.triggered");
  EXPECT_EQ(every->incident_tool->services, 3u);
  EXPECT_EQ(every->incident_tool->mapped_services, 2u);

  // Limited to acme/web: only POPS (acme/*) maps onto it; no deliveries.
  const IntegrationStatus web = Load(LimitedTo({web_id_}));
  const ConnectionStatus* limited = Find(web, pagerduty_id_);
  ASSERT_NE(limited, nullptr);
  EXPECT_FALSE(limited->last_delivery.has_value());
  EXPECT_EQ(limited->incident_tool->services, 1u);
  EXPECT_EQ(limited->incident_tool->mapped_services, 1u);
  EXPECT_FALSE(web.every_project);

  // A caller of no repository of the host sees neither connection.
  EXPECT_TRUE(Load(LimitedTo({})).connections.empty());
}

LEADLINE_ON_EVERY_ENGINE(IntegrationStatusTest);

}  // namespace
}  // namespace leadline::query
