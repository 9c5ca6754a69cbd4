// The webhook applier: a backlog of many batches is applied once, and the backlog's gauge is
// counted when the backlog is drained and at most once a second while it lasts, not after every
// batch (the count reads every waiting row); applied deliveries are dropped after the retention
// it is given.
#include "app/webhook_applier.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/sql/temp_store_test.h"

namespace leadline::app {
namespace {

using WebhookApplierTest = store::TempStoreTest;

TEST_P(WebhookApplierTest, ABacklogIsAppliedAndItsGaugeCountedWhenDrainedAndNowAndThen) {
  constexpr int kDeliveries = 5000;  // ten batches
  std::vector<model::WebhookDelivery> deliveries(kDeliveries);
  std::vector<const model::WebhookDelivery*> group;
  for (int i = 0; i < kDeliveries; ++i) {
    model::WebhookDelivery& d = deliveries[static_cast<std::size_t>(i)];
    d.delivery_id = "delivery-" + std::to_string(i);
    d.connection_id = 1;  // no such connection: each is marked "ignored"
    d.event_key = "repo:push";
    d.attempt = 1;
    d.received_at = 100;
    d.repository = "acme/api";
    d.body = R"({"repository": {"full_name": "acme/api"}})";
    group.push_back(&d);
    if (group.size() == 250) {
      for (const auto& inserted : store_->webhook_inbox().InsertDeliveries(group))
        ASSERT_TRUE(inserted.ok());
      group.clear();
    }
  }
  ASSERT_EQ(*store_->webhook_inbox().CountUnappliedDeliveries(), kDeliveries);

  std::mutex mutex;
  std::condition_variable counted;
  std::vector<std::int64_t> depths;
  config::Paths paths;
  paths.store = url_;
  const auto started = std::chrono::steady_clock::now();
  {
    WebhookApplier applier(
        paths, "server-1", 60,
        [](std::int64_t, const std::string&) { return common::Status::Ok(); },
        [](std::int64_t) { return common::Status::Ok(); }, nullptr,
        [&](std::int64_t depth) {
          std::lock_guard lock(mutex);
          depths.push_back(depth);
          counted.notify_all();
        });
    applier.Start();
    std::unique_lock lock(mutex);
    ASSERT_TRUE(counted.wait_for(lock, std::chrono::seconds(60),
                                 [&] { return !depths.empty() && depths.back() == 0; }))
        << "no count of 0 in a minute; waiting: "
        << *store_->webhook_inbox().CountUnappliedDeliveries();
  }
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
          .count();
  EXPECT_EQ(*store_->webhook_inbox().CountUnappliedDeliveries(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_inbox WHERE applied_at IS NULL"), 0);
  // The first batch, one a second, and the drained backlog; a count per batch would be ten.
  EXPECT_LE(static_cast<std::int64_t>(depths.size()), 2 + seconds)
      << depths.size() << " counts in " << seconds << " s";
  EXPECT_GT(depths.front(), 0);  // counted while the backlog lasted
}

TEST_P(WebhookApplierTest, AppliedDeliveriesAreDroppedAfterTheRetentionItIsGiven) {
  // Three applied deliveries of acme/api: five days old, a day and a half old, an hour old.
  const common::UnixSeconds now = common::NowUnixSeconds();
  const std::vector<std::pair<std::string, common::UnixSeconds>> ages = {
      {"old", now - 5 * common::kDay},
      {"day-and-a-half", now - 36 * common::kHour},
      {"recent", now - common::kHour}};
  for (const auto& [id, at] : ages) {
    model::WebhookDelivery d;
    d.delivery_id = id;
    d.connection_id = 1;
    d.event_key = "repo:push";
    d.attempt = 1;
    d.received_at = at;
    d.repository = "acme/api";
    d.body = R"({"repository": {"full_name": "acme/api"}})";
    ASSERT_TRUE(*store_->webhook_inbox().InsertDelivery(d));
    const auto claimed = *store_->webhook_inbox().ClaimDeliveries("setup", at, at + 60, 10);
    ASSERT_EQ(claimed.size(), 1u);
    ASSERT_EQ(
        *store_->webhook_inbox().MarkDeliveriesApplied({claimed[0].id}, "setup", at, "applied: x"),
        1);
    ASSERT_TRUE(store_->webhook_inbox().ReleaseDeliveryClaims("setup").ok());
  }
  const auto rows = [&] { return Count("SELECT COUNT(*) FROM webhook_inbox"); };
  const auto bodies = [&] { return Count("SELECT COUNT(*) FROM webhook_bodies"); };
  ASSERT_EQ(rows(), 3);
  ASSERT_EQ(bodies(), 3);

  // Bodies a day, rows two days (the defaults, a week and a month, would drop nothing here).
  config::Paths paths;
  paths.store = url_;
  WebhookApplier applier(
      paths, "server-1", 60, [](std::int64_t, const std::string&) { return common::Status::Ok(); },
      [](std::int64_t) { return common::Status::Ok(); }, nullptr, [](std::int64_t) {},
      InboxRetention{common::kDay, 2 * common::kDay});
  applier.Start();
  for (int i = 0; i < 300 && (rows() != 2 || bodies() != 1); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  applier.Stop();
  EXPECT_EQ(rows(), 2);
  EXPECT_EQ(bodies(), 1);
  EXPECT_FALSE(store_->webhook_inbox().FindDelivery("old")->has_value());
  EXPECT_TRUE(store_->webhook_inbox().FindDelivery("day-and-a-half")->has_value());
  ASSERT_TRUE(store_->webhook_inbox().FindDelivery("recent")->has_value());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_bodies b JOIN webhook_inbox i ON i.id = b.delivery "
                  "WHERE i.delivery_id = 'recent'"),
            1);
}

LEADLINE_ON_EVERY_ENGINE(WebhookApplierTest);

}  // namespace
}  // namespace leadline::app
