// The change event outbox on both engines: services turned on (with their sealed routing key)
// and off; one row per (service, repository, deployment) however often it is enqueued, also
// once sent; claims held by one owner at a time and taken over after the lease; failures retried
// with their last error, then kept as failed until the service's key is given again; counts per
// service; bad input refused.
#include "store/sql/change_event_rows.h"

#include <gtest/gtest.h>

#include "store/sql/temp_store_test.h"

namespace leadline::store::sql {
namespace {

constexpr common::UnixSeconds kNow = 1'767'225'600;  // 2026-01-01T00:00:00Z
constexpr char kUrl[] = "https://events.pagerduty.com";

class ChangeEventRowsTest : public TempStoreTest {
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
    ASSERT_TRUE(store_->incidents()
                    .UpsertIncidentServices(connection_id_, {{0, "PSVC1", "Checkout", ""},
                                                             {0, "PSVC2", "Payments", ""}})
                    .ok());
    repo_id_ = AddTestRepository(*store_);
    ASSERT_TRUE(outbox().EnableChangeEvents(connection_id_, "PSVC1", "v1:key", kUrl, kNow).ok());
  }
  ChangeEventOutbox& outbox() { return store_->change_events(); }
  bool Enqueue(const std::string& key, common::UnixSeconds now,
               const std::string& service = "PSVC1") {
    auto queued = outbox().EnqueueChangeEvent(connection_id_, service, repo_id_, key,
                                              R"({"payload":{"summary":")" + key + "\"}}", now);
    EXPECT_TRUE(queued.ok()) << queued.status().message();
    return queued.ok() && *queued;
  }
  std::vector<ChangeEventRow> Claim(const std::string& owner, common::UnixSeconds now) {
    auto claimed = outbox().ClaimDueChangeEvents(owner, now, now + 60, 10);
    EXPECT_TRUE(claimed.ok()) << claimed.status().message();
    return claimed.ok() ? *claimed : std::vector<ChangeEventRow>();
  }
  ChangeEventService Service() {
    auto services = outbox().LoadChangeEventServices();
    EXPECT_TRUE(services.ok()) << services.status().message();
    return services.ok() && services->size() == 1 ? services->front() : ChangeEventService();
  }

  std::int64_t connection_id_ = 0;
  std::int64_t repo_id_ = 0;
};

TEST_P(ChangeEventRowsTest, ServicesAreTurnedOnWithTheirKeyAndOff) {
  ChangeEventService service = Service();
  EXPECT_EQ(service.connection_id, connection_id_);
  EXPECT_EQ(service.service_id, "PSVC1");
  EXPECT_EQ(service.sealed_routing_key, "v1:key");
  EXPECT_EQ(service.events_url, kUrl);
  EXPECT_EQ(service.enabled_at, kNow);
  EXPECT_EQ(service.sent + service.queued + service.failed, 0);
  // Again: a new key and URL, still on since it was first turned on.
  ASSERT_TRUE(
      outbox().EnableChangeEvents(connection_id_, "PSVC1", "v1:new", "http://x", kNow + 9).ok());
  service = Service();
  EXPECT_EQ(service.sealed_routing_key, "v1:new");
  EXPECT_EQ(service.events_url, "http://x");
  EXPECT_EQ(service.enabled_at, kNow);

  const Status unknown = outbox().EnableChangeEvents(connection_id_, "PNOPE", "v1:k", kUrl, kNow);
  EXPECT_EQ(unknown.code(), common::StatusCode::kNotFound) << unknown.message();
  EXPECT_FALSE(Enqueue("tag:v1", kNow, "PSVC2"));  // PSVC2 does not send

  ASSERT_TRUE(Enqueue("tag:v1", kNow));
  EXPECT_TRUE(*outbox().DisableChangeEvents(connection_id_, "PSVC1"));
  EXPECT_FALSE(*outbox().DisableChangeEvents(connection_id_, "PSVC1"));
  EXPECT_TRUE(outbox().LoadChangeEventServices()->empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_events"), 0);  // its events went with it
  EXPECT_FALSE(Enqueue("tag:v2", kNow));
}

TEST_P(ChangeEventRowsTest, ADeploymentIsQueuedOnceAndNeverAgainOnceSent) {
  ASSERT_TRUE(Enqueue("tag:v1", kNow));
  EXPECT_FALSE(Enqueue("tag:v1", kNow + 1));  // the same deployment: nothing new
  ASSERT_TRUE(Enqueue("tag:v2", kNow + 2));
  auto unsent = *outbox().LoadUnsentChangeEvents(10);
  ASSERT_EQ(unsent.size(), 2u);
  EXPECT_EQ(unsent[0].deployment_key, "tag:v1");
  EXPECT_EQ(unsent[0].location, "/src/app");
  EXPECT_EQ(unsent[0].body, R"({"payload":{"summary":"tag:v1"}})");
  EXPECT_EQ(unsent[0].state, ChangeEventState::kQueued);
  EXPECT_EQ(unsent[0].due_at, kNow);

  const auto claimed = Claim("a", kNow + 5);
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_TRUE(*outbox().FinishChangeEvent(claimed[0].id, "a", kNow + 6));
  EXPECT_FALSE(*outbox().FinishChangeEvent(claimed[0].id, "a", kNow + 7));  // sent already
  EXPECT_FALSE(Enqueue("tag:v1", kNow + 8));                                // still once
  const ChangeEventService service = Service();
  EXPECT_EQ(service.sent, 1);
  EXPECT_EQ(service.queued, 1);
  EXPECT_EQ(service.last_sent_at, kNow + 6);
  unsent = *outbox().LoadUnsentChangeEvents(10);
  ASSERT_EQ(unsent.size(), 1u);
  EXPECT_EQ(unsent[0].deployment_key, "tag:v2");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_events WHERE state = 'sent' AND sent_at IS NOT "
                  "NULL"),
            1);
}

TEST_P(ChangeEventRowsTest, AClaimIsOneOwnersUntilItsLeaseEnds) {
  ASSERT_TRUE(Enqueue("tag:v1", kNow));
  ASSERT_EQ(Claim("a", kNow).size(), 1u);
  EXPECT_TRUE(Claim("b", kNow + 30).empty());  // a's lease runs until kNow + 60
  // a, killed and started again under its slot's name (app/server_slot.h), takes it back at once.
  EXPECT_FALSE(*outbox().FinishChangeEvent(Claim("a", kNow)[0].id, "b", kNow));
  const auto taken = Claim("b", kNow + 61);  // a died: its lease ended
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_FALSE(*outbox().FinishChangeEvent(taken[0].id, "a", kNow + 62));
  EXPECT_TRUE(*outbox().FinishChangeEvent(taken[0].id, "b", kNow + 62));
  EXPECT_TRUE(Claim("c", kNow + 200).empty());
}

TEST_P(ChangeEventRowsTest, FailuresAreRetriedThenKeptAsFailedUntilTheKeyIsGivenAgain) {
  ASSERT_TRUE(Enqueue("tag:v1", kNow));
  auto claimed = Claim("a", kNow);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_TRUE(
      *outbox().FailChangeEvent(claimed[0].id, "a", "PagerDuty answered 500", kNow + 30, 3));
  EXPECT_FALSE(*outbox().FailChangeEvent(claimed[0].id, "a", "again", kNow + 30, 3));  // released
  EXPECT_TRUE(Claim("a", kNow + 29).empty());  // not due yet
  claimed = Claim("a", kNow + 30);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].attempts, 1);
  EXPECT_EQ(claimed[0].last_error, "PagerDuty answered 500");
  ChangeEventService service = Service();
  EXPECT_EQ(service.queued, 1);
  EXPECT_EQ(service.last_error, "PagerDuty answered 500");
  // A refusal gives up at once: its attempt is the last.
  EXPECT_TRUE(*outbox().FailChangeEvent(claimed[0].id, "a", std::string(2000, 'e'), kNow + 60,
                                        claimed[0].attempts + 1));
  EXPECT_TRUE(Claim("a", kNow + 1000).empty());
  service = Service();
  EXPECT_EQ(service.queued, 0);
  EXPECT_EQ(service.failed, 1);
  EXPECT_EQ(service.last_error.size(), kMostChangeEventErrorBytes);  // cut
  EXPECT_FALSE(Enqueue("tag:v1", kNow + 1001));                      // failed is not forgotten
  const auto unsent = *outbox().LoadUnsentChangeEvents(10);
  ASSERT_EQ(unsent.size(), 1u);
  EXPECT_EQ(unsent[0].state, ChangeEventState::kFailed);
  EXPECT_EQ(unsent[0].attempts, 2);

  // The key given again: the failed event gets another try, from no attempts.
  ASSERT_TRUE(
      outbox().EnableChangeEvents(connection_id_, "PSVC1", "v1:fixed", kUrl, kNow + 2000).ok());
  claimed = Claim("a", kNow + 2000);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].attempts, 0);
  EXPECT_TRUE(*outbox().FinishChangeEvent(claimed[0].id, "a", kNow + 2001));
  service = Service();
  EXPECT_EQ(service.sent, 1);
  EXPECT_EQ(service.failed, 0);
  EXPECT_EQ(service.last_error, "");
}

TEST_P(ChangeEventRowsTest, BadInputIsRefused) {
  const auto code = [](const Status& status) { return status.code(); };
  constexpr auto kInvalid = common::StatusCode::kInvalidArgument;
  EXPECT_EQ(code(outbox().EnableChangeEvents(connection_id_, "PSVC1", "", kUrl, kNow)), kInvalid);
  EXPECT_EQ(code(outbox().EnableChangeEvents(0, "PSVC1", "v1:k", kUrl, kNow)), kInvalid);
  EXPECT_EQ(
      code(outbox().EnqueueChangeEvent(connection_id_, "PSVC1", repo_id_, "", "{}", kNow).status()),
      kInvalid);
  EXPECT_EQ(code(outbox()
                     .EnqueueChangeEvent(connection_id_, "PSVC1", repo_id_, "tag:v1",
                                         std::string(kMostChangeEventBodyBytes + 1, 'x'), kNow)
                     .status()),
            kInvalid);
  EXPECT_EQ(code(outbox().ClaimDueChangeEvents("", kNow, kNow + 60, 10).status()), kInvalid);
  EXPECT_EQ(code(outbox().ClaimDueChangeEvents("a", kNow, kNow, 10).status()), kInvalid);
  EXPECT_EQ(code(outbox().ClaimDueChangeEvents("a", kNow, kNow + 60, 0).status()), kInvalid);
  EXPECT_EQ(code(outbox().FailChangeEvent(1, "a", "e", kNow, 0).status()), kInvalid);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_events"), 0);
}

LEADLINE_ON_EVERY_ENGINE(ChangeEventRowsTest);

}  // namespace
}  // namespace leadline::store::sql
