#include "store/sql/request_budget_rows.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "store/sql/temp_store_test.h"

namespace leadline::store::sql {
namespace {

using common::UnixSeconds;

constexpr UnixSeconds kStart = 1'767'225'600;  // 2026-01-01T00:00:00Z, a minute's first second

class RequestBudgetRowsTest : public TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    model::Connection connection;
    connection.name = "bitbucket-cloud/acme";
    connection_id_ = *store_->connections().UpsertConnection(connection);
  }

  RequestAsk Ask(std::int64_t count, std::int64_t per_hour, UnixSeconds now, UnixSeconds hold = 0) {
    return {connection_id_, count, per_hour, now, now + hold};
  }

  std::int64_t connection_id_ = 0;
};

TEST_P(RequestBudgetRowsTest, GrantsTheAllowanceOfAnHourThenSaysWhenToAskAgain) {
  EXPECT_TRUE(store_->connections().ReserveRequests(Ask(4, 10, kStart))->granted);
  EXPECT_TRUE(store_->connections().ReserveRequests(Ask(4, 10, kStart + 600))->granted);
  // 8 of 10 spent: 3 more do not fit until the first 4 have left the window, 62 minutes after
  // their minute began.
  const RequestGrant refused = *store_->connections().ReserveRequests(Ask(3, 10, kStart + 1200));
  EXPECT_FALSE(refused.granted);
  EXPECT_EQ(refused.retry_at, kStart + 62 * 60);
  EXPECT_TRUE(store_->connections().ReserveRequests(Ask(2, 10, kStart + 1200))->granted);  // 2 do
  EXPECT_FALSE(store_->connections().ReserveRequests(Ask(1, 10, kStart + 62 * 60 - 1))->granted);
  EXPECT_TRUE(store_->connections().ReserveRequests(Ask(4, 10, kStart + 62 * 60))->granted);
  EXPECT_FALSE(store_->connections().ReserveRequests(Ask(1, 10, kStart + 62 * 60))->granted);
}

TEST_P(RequestBudgetRowsTest, RequestsSentLaterCountFromTheirLastMomentToBeSent) {
  // Reserved at 00:00:30 to be sent by 00:01:30: kept under 00:01, counted until 01:03.
  EXPECT_TRUE(store_->connections().ReserveRequests(Ask(5, 5, kStart + 30, 60))->granted);
  const RequestGrant refused =
      *store_->connections().ReserveRequests(Ask(1, 5, kStart + 3600 + 60));
  EXPECT_FALSE(refused.granted);
  EXPECT_EQ(refused.retry_at, kStart + 60 + 62 * 60);
  EXPECT_TRUE(store_->connections().ReserveRequests(Ask(5, 5, refused.retry_at))->granted);
}

TEST_P(RequestBudgetRowsTest, EachConnectionHasItsOwnBudget) {
  model::Connection other;
  other.name = "bitbucket-cloud/other";
  const std::int64_t other_id = *store_->connections().UpsertConnection(other);
  EXPECT_TRUE(store_->connections().ReserveRequests(Ask(3, 3, kStart))->granted);
  EXPECT_FALSE(store_->connections().ReserveRequests(Ask(1, 3, kStart))->granted);
  EXPECT_TRUE(store_->connections().ReserveRequests({other_id, 3, 3, kStart, kStart})->granted);
}

TEST_P(RequestBudgetRowsTest, MinutesThatLeftTheWindowAreDeleted) {
  for (UnixSeconds at = kStart; at < kStart + 3 * 3600; at += 60) {
    ASSERT_TRUE(store_->connections().ReserveRequests(Ask(1, 1000, at))->granted);
  }
  // The window: the current minute and the 61 before it.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM request_budget_minutes"), 62);
  EXPECT_EQ(Count("SELECT reserved FROM request_budgets"), 180);
}

TEST_P(RequestBudgetRowsTest, BadAsksAreRefusedAndWriteNothing) {
  const struct {
    RequestAsk ask;
    const char* says;
  } cases[] = {
      {{0, 1, 10, kStart, kStart}, "needs a connection id"},
      {Ask(1, 0, kStart), "allowance of 1 to 10000000 requests an hour, not 0"},
      {Ask(1, 10'000'001, kStart), "not 10000001"},
      {Ask(0, 10, kStart), "asks for 1 to 10 requests, not 0"},
      {Ask(11, 10, kStart), "asks for 1 to 10 requests, not 11"},
      {Ask(1, 10, 0), "needs the current time"},
      {{connection_id_, 1, 10, kStart, kStart - 1}, "within 600 s of being reserved, not -1 s"},
      {Ask(1, 10, kStart, 601), "not 601 s"},
  };
  for (const auto& c : cases) {
    const auto grant = store_->connections().ReserveRequests(c.ask);
    ASSERT_FALSE(grant.ok()) << c.says;
    EXPECT_EQ(grant.status().code(), common::StatusCode::kInvalidArgument);
    EXPECT_NE(grant.status().message().find(c.says), std::string::npos) << grant.status().message();
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM request_budgets"), 0);
}

TEST_P(RequestBudgetRowsTest, AConnectionNotInTheStoreIsRefused) {
  EXPECT_FALSE(
      store_->connections().ReserveRequests({connection_id_ + 1, 1, 10, kStart, kStart}).ok());
  // The store carries on.
  EXPECT_TRUE(store_->connections().ReserveRequests(Ask(1, 10, kStart))->granted);
}

// Two processes on one store, each with its own connection, asking in turn at random for five
// hours: whatever they were granted together fits the allowance in every hour, counting each
// grant's requests as sent as late as they may be, and the allowance is not left idle either.
TEST_P(RequestBudgetRowsTest, TwoStoresTogetherNeverSpendMoreThanTheAllowanceInAnHour) {
  auto second = OpenStore(url_);
  ASSERT_TRUE(second.ok()) << second.status().message();
  Store* stores[] = {store_.get(), second->get()};
  constexpr std::int64_t kPerHour = 30;
  constexpr UnixSeconds kHold = 60;
  std::mt19937 random(7);
  struct Grant {
    UnixSeconds at, send_by;
    std::int64_t count;
  };
  std::vector<Grant> grants;
  for (UnixSeconds now = kStart; now < kStart + 5 * 3600;
       now += std::uniform_int_distribution<UnixSeconds>(0, 60)(random)) {
    const std::int64_t count = std::uniform_int_distribution<std::int64_t>(1, 5)(random);
    Store& store = *stores[random() % 2];
    auto grant = store.connections().ReserveRequests(Ask(count, kPerHour, now, kHold));
    ASSERT_TRUE(grant.ok()) << grant.status().message();
    if (grant->granted) {
      grants.push_back({now, now + kHold, count});
    } else {
      EXPECT_GT(grant->retry_at, now);
    }
  }
  std::int64_t total = 0;
  for (const Grant& last : grants) {
    std::int64_t in_hour = 0;
    for (const Grant& earlier : grants) {
      if (earlier.at <= last.at && earlier.send_by > last.at - 3600) in_hour += earlier.count;
    }
    EXPECT_LE(in_hour, kPerHour) << "an hour ending at " << last.at - kStart;
    total += last.count;
  }
  EXPECT_GE(total, 4 * kPerHour);  // five hours, each reservation counted some 62 minutes
}

// Processes asking at the same moment: each reservation is atomic, so together they get exactly
// the allowance.
TEST_P(RequestBudgetRowsTest, ConcurrentReservationsGetExactlyTheAllowance) {
  constexpr int kThreads = 4;
  constexpr std::int64_t kPerHour = 100;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kThreads; ++i) {
    auto store = OpenStore(url_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    stores.push_back(std::move(store).value());
  }
  std::atomic<std::int64_t> granted{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int ask = 0; ask < 40; ++ask) {
        auto grant =
            stores[i]->connections().ReserveRequests(Ask(1 + ask % 2, kPerHour, kStart + ask % 3));
        if (!grant.ok()) {
          ++errors;
        } else if (grant->granted) {
          granted += 1 + ask % 2;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(granted, kPerHour);  // asked for 240: all of the allowance, none more
  EXPECT_EQ(Count("SELECT reserved FROM request_budgets"), kPerHour);
}

LEADLINE_ON_EVERY_ENGINE(RequestBudgetRowsTest);

}  // namespace
}  // namespace leadline::store::sql
