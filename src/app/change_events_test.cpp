// Which deployments become change events (production ones of the repositories a sending
// service's mapping covers, finished after it was turned on and at most a day before they are
// found; each once), and how sending them ends: 202 sent, a 5xx retried after a backoff, a 400
// failed at once, with the service's routing key in the body only.
#include "app/change_events.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "http/testing_fakes.h"
#include "testing/git_script.h"

namespace leadline::app {
namespace {

using leadline::testing::TempDir;
using nlohmann::json;

constexpr common::UnixSeconds kOn = 1'767'225'600;  // 2026-01-01T00:00:00Z, turned on
constexpr char kKey[] = "R0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123";

// Answers every request with `status`, keeping the bodies sent.
class Answering final : public http::HttpClient {
 public:
  common::Result<http::HttpResponse> Send(const http::HttpRequest& request) override {
    bodies.push_back(request.body);
    urls.push_back(request.url);
    clock.SleepFor(time_per_send);
    return http::HttpResponse{status, {}, status == 202 ? R"({"status":"success"})" : "{}"};
  }
  int status = 202;
  // How long each send takes, on `clock`.
  http::testing::FakeClock clock;
  std::chrono::seconds time_per_send{0};
  std::vector<std::string> bodies;
  std::vector<std::string> urls;
};

class ChangeEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(store::OpenStore(dir_.Child("leadline.db"))).value();
    model::Connection pagerduty;
    pagerduty.name = "pagerduty/api.pagerduty.com";
    pagerduty.provider = model::Provider::kPagerDuty;
    pagerduty.auth = model::AuthMethod::kPagerDutyToken;
    pagerduty_ = *store_->connections().UpsertConnection(pagerduty);
    model::Connection cloud;
    cloud.name = "bitbucket-cloud/acme";
    cloud.workspace = "acme";
    const std::int64_t cloud_id = *store_->connections().UpsertConnection(cloud);
    ASSERT_TRUE(store_->incidents()
                    .UpsertIncidentServices(pagerduty_, {{pagerduty_, "PSVC1", "Checkout", ""},
                                                         {pagerduty_, "PSVC2", "Search", ""}})
                    .ok());
    ASSERT_TRUE(*store_->incidents().MapIncidentService(pagerduty_, "PSVC1", "acme/api*"));
    for (const char* location : {"acme/api", "acme/web"}) {
      model::Repository repo;
      repo.source = "bitbucket-cloud";
      repo.location = location;
      repo.name = location + 5;
      repo.connection_id = cloud_id;
      repos_.push_back(*store_->repositories().UpsertRepository(repo));
    }
    ASSERT_TRUE(store_->change_events()
                    .EnableChangeEvents(pagerduty_, "PSVC1", box_.Seal(kKey), "http://events", kOn)
                    .ok());
  }
  // A finished deployment of repository `repo` (0: acme/api) to `environment` at `at`.
  void Deploy(
      const std::string& id, common::UnixSeconds at, const std::string& environment = "production",
      std::size_t repo = 0,
      model::PlatformDeploymentStatus status = model::PlatformDeploymentStatus::kSuccessful) {
    model::PlatformDeployment d;
    d.provider = model::Provider::kPush;
    d.uuid = id;
    d.environment_name = environment;
    d.state = model::PlatformDeploymentState::kCompleted;
    d.status = status;
    d.commit_sha = "3f2a9c1e7b04d5f6a7b8c9d0e1f2a3b4c5d6e7f8";
    d.started_at = at - 60;
    d.completed_at = at;
    d.release_name = id;
    ASSERT_TRUE(store_->pipelines().UpsertPlatformDeployments(repos_[repo], {d}).ok());
  }
  std::size_t Queue(common::UnixSeconds now, const std::string& toml = "") {
    if (!toml.empty()) std::ofstream(dir_.Child("leadline.toml")) << toml;
    auto settings = config::Settings::Load(dir_.Child("leadline.toml"));
    EXPECT_TRUE(settings.ok()) << settings.status().message();
    auto queued = QueueDeploymentChanges(*store_, *settings, now);
    EXPECT_TRUE(queued.ok()) << queued.status().message();
    return queued.ok() ? *queued : 0;
  }
  ChangeEventDrain Send(common::UnixSeconds now, const std::string& owner = "test") {
    ChangeEventSendOptions options;
    options.owner = owner;
    options.clock = &client_.clock;
    auto drained = SendDueChangeEvents(*store_, box_, client_, options, now);
    EXPECT_TRUE(drained.ok()) << drained.status().message();
    return drained.ok() ? *drained : ChangeEventDrain();
  }
  store::ChangeEventService Counts() {
    auto status = LoadChangeEventStatus(*store_, {});
    EXPECT_TRUE(status.ok() && status->services.size() == 1);
    return status.ok() && !status->services.empty() ? status->services[0].counts
                                                    : store::ChangeEventService();
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  const auth::SecretBox box_ = *auth::SecretBox::FromEnvironmentOrKeyFile(dir_.Child("key"));
  Answering client_;
  std::int64_t pagerduty_ = 0;
  std::vector<std::int64_t> repos_;
};

TEST_F(ChangeEventsTest, NewProductionDeploymentsOfMappedRepositoriesAreQueuedOnce) {
  const common::UnixSeconds now = kOn + 3 * common::kDay;
  Deploy("before-on", kOn - 60);               // before the service sent
  Deploy("old-news", now - common::kDay - 1);  // learned more than a day late
  Deploy("staging", now - 60, "staging");      // not production
  Deploy("web", now - 60, "production", 1);    // acme/web: not the service's
  Deploy("future", now + 60);                  // not finished by now
  Deploy("v2", now - 120);                     // news
  Deploy("v3", now - 60, "Production", 0, model::PlatformDeploymentStatus::kFailed);
  EXPECT_EQ(Queue(now), 2u);
  EXPECT_EQ(Queue(now + 1), 0u);  // found again: nothing new
  const auto unsent = *store_->change_events().LoadUnsentChangeEvents(10);
  ASSERT_EQ(unsent.size(), 2u);
  EXPECT_EQ(unsent[0].deployment_key, "push:v2");
  EXPECT_EQ(unsent[0].location, "acme/api");
  const json failed = json::parse(unsent[1].body);
  EXPECT_EQ(failed["payload"]["summary"],
            "Deployment of acme/api v3 (3f2a9c1) to Production failed");
  EXPECT_EQ(failed["payload"]["custom_details"]["status"], "failed");
  EXPECT_FALSE(failed.contains("links"));

  // Another service of the same repository sends its own event of each deployment; the
  // dashboard's address, when the settings give it, is linked.
  ASSERT_TRUE(store_->change_events()
                  .EnableChangeEvents(pagerduty_, "PSVC2", box_.Seal(kKey), "http://events", kOn)
                  .ok());
  EXPECT_EQ(Queue(now + 2,
                  "[services]\nSearch = \"acme/*\"\n[webhooks]\npublic_url = "
                  "\"https://leadline.example.com\"\n"),
            3u);  // acme/api's two and acme/web's one
  const auto all = *store_->change_events().LoadUnsentChangeEvents(10);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(json::parse(all.back().body)["links"][0]["href"],
            "https://leadline.example.com/?repo=acme%2Fweb");
}

TEST_F(ChangeEventsTest, AnUnmappedServiceSendsNothing) {
  ASSERT_TRUE(*store_->incidents().MapIncidentService(pagerduty_, "PSVC1", ""));
  Deploy("v2", kOn + 60);
  EXPECT_EQ(Queue(kOn + 120), 0u);
}

TEST_F(ChangeEventsTest, SentOnceRetriedWhenBusyAndFailedForGoodWhenRefused) {
  Deploy("v2", kOn + 60);
  ASSERT_EQ(Queue(kOn + 120), 1u);
  client_.status = 503;
  ChangeEventDrain drained = Send(kOn + 120);
  EXPECT_EQ(drained.failed, 1);
  EXPECT_EQ(Counts().queued, 1);
  EXPECT_NE(Counts().last_error.find("PagerDuty answered 503"), std::string::npos);
  EXPECT_EQ(Send(kOn + 149).failed, 0);  // the backoff: due again 30 s later
  client_.status = 202;
  drained = Send(kOn + 150);
  EXPECT_EQ(drained.sent, 1);
  ASSERT_EQ(client_.bodies.size(), 2u);
  EXPECT_EQ(client_.urls[1], "http://events/v2/change/enqueue");
  const json body = json::parse(client_.bodies[1]);
  EXPECT_EQ(body["routing_key"], kKey);
  EXPECT_EQ(body["payload"]["summary"], "Deployed acme/api v2 (3f2a9c1) to production");
  EXPECT_EQ(body["payload"]["timestamp"], "2026-01-01T00:01:00Z");
  store::ChangeEventService counts = Counts();
  EXPECT_EQ(counts.sent, 1);
  EXPECT_EQ(counts.last_sent_at, kOn + 150);
  EXPECT_EQ(counts.last_error, "");
  EXPECT_TRUE(counts.sealed_routing_key.empty());  // never handed out for showing
  EXPECT_EQ(Queue(kOn + 200), 0u);
  EXPECT_EQ(Send(kOn + 10'000).sent, 0);

  Deploy("v3", kOn + 300);
  ASSERT_EQ(Queue(kOn + 400), 1u);
  client_.status = 400;
  EXPECT_EQ(Send(kOn + 400).failed, 1);
  EXPECT_EQ(Send(kOn + 100'000).failed, 0);  // not tried again
  counts = Counts();
  EXPECT_EQ(counts.failed, 1);
  EXPECT_NE(counts.last_error.find("PagerDuty answered 400"), std::string::npos);
  EXPECT_EQ(client_.bodies.size(), 3u);
}

// A PagerDuty slow enough to keep a batch past half its lease (120 s): the rows after that point
// stay claimed by this sender, so no other server sends them while this one may still be sending,
// and this sender's next claim takes them at once.
TEST_F(ChangeEventsTest, ABatchStopsWithHalfItsLeaseGoneAndItsSenderTakesTheRestNext) {
  for (int i = 1; i <= 4; ++i) Deploy("v" + std::to_string(i), kOn + 60 * i);
  ASSERT_EQ(Queue(kOn + 300), 4u);
  client_.time_per_send = std::chrono::seconds(40);
  ChangeEventDrain drained = Send(kOn + 300);
  EXPECT_EQ(drained.sent, 2);  // sent at 0 s and 40 s; at 80 s half the lease is gone
  EXPECT_TRUE(drained.cut_short);
  EXPECT_EQ(Send(kOn + 301, "another server").sent, 0);  // still this sender's
  drained = Send(kOn + 302);
  EXPECT_EQ(drained.sent, 2);
  EXPECT_FALSE(drained.cut_short);
  EXPECT_EQ(client_.bodies.size(), 4u);
  EXPECT_EQ(Counts().sent, 4);

  // The first row of a batch is sent however slow the sends are, so a batch always moves.
  Deploy("v5", kOn + 400);
  ASSERT_EQ(Queue(kOn + 500), 1u);
  client_.time_per_send = std::chrono::seconds(500);
  EXPECT_EQ(Send(kOn + 500).sent, 1);
}

}  // namespace
}  // namespace leadline::app
