#include "api/inbox_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/sql/temp_store_test.h"

namespace leadline::api {
namespace {

model::WebhookDelivery Delivery(const std::string& id) {
  model::WebhookDelivery delivery;
  delivery.delivery_id = id;
  delivery.connection_id = 1;
  delivery.event_key = "pullrequest:updated";
  delivery.attempt = 1;
  delivery.received_at = 1'700'000'000;
  delivery.repository = "acme/api";
  delivery.body = std::string(11'000, 'x');
  return delivery;
}

bool IsPostgres(store::sql::Engine engine) { return engine == store::sql::Engine::kPostgres; }

// On each engine, a writer over a pool of stores: one unless a test says otherwise.
class InboxWriterTest : public store::TempStoreTest {
 protected:
  void SetUp() override {
    store::TempStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    UsePool(1);
  }
  void TearDown() override {
    writer_.reset();
    pool_.reset();
    store::TempStoreTest::TearDown();
  }
  void UsePool(int size) {
    writer_.reset();
    auto pool = SharedStore::Open(url_, size);
    ASSERT_TRUE(pool.ok()) << pool.status().message();
    pool_ = std::move(pool).value();
    writer_ = std::make_unique<InboxWriter>(*pool_);
  }

  std::int64_t Stored() {
    const auto count = pool_->With(
        [](store::Store& store) { return store.webhook_inbox().CountUnappliedDeliveries(); });
    EXPECT_TRUE(count.ok()) << count.status().message();
    return count.ok() ? *count : -1;
  }
  // Runs `during` while the pool's only store is busy.
  template <typename During>
  void WhileTheStoreIsBusy(During&& during) {
    (void)pool_->With([&](store::Store&) {
      during();
      return common::Status::Ok();
    });
  }

  std::unique_ptr<SharedStore> pool_;
  std::unique_ptr<InboxWriter> writer_;
};

TEST_P(InboxWriterTest, ConcurrentDeliveriesAreEachStoredOnce) {
  // On PostgreSQL, groups commit at once on several connections, and share delivery ids.
  if (IsPostgres(GetParam())) UsePool(4);
  constexpr int kThreads = 16, kEach = 50;
  std::atomic<int> stored = 0, duplicates = 0, failed = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every delivery is sent twice, by two threads: one of the two is a duplicate.
        const std::string id = "{d-" + std::to_string(t / 2) + "-" + std::to_string(i) + "}";
        const auto inserted = writer_->Insert(Delivery(id));
        if (!inserted.ok()) {
          ++failed;
        } else {
          ++(*inserted ? stored : duplicates);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(stored, kThreads / 2 * kEach);
  EXPECT_EQ(duplicates, kThreads / 2 * kEach);
  EXPECT_EQ(Stored(), kThreads / 2 * kEach);
}

TEST_P(InboxWriterTest, DeliveriesQueuedBehindACommitShareTheNextTransaction) {
  constexpr int kWaiting = 8;
  std::vector<std::thread> threads;
  std::atomic<int> stored = 0;
  // While the store is busy, deliveries queue: the first takes the lead and waits for the store,
  // the others queue behind it; its group holds itself alone, theirs all of the rest.
  WhileTheStoreIsBusy([&] {
    for (int i = 0; i < kWaiting; ++i) {
      threads.emplace_back([&, i] {
        if (*writer_->Insert(Delivery("{q-" + std::to_string(i) + "}"))) ++stored;
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(stored, kWaiting);
  EXPECT_EQ(Stored(), kWaiting);
  EXPECT_EQ(writer_->groups_committed(), 2u);
}

TEST_P(InboxWriterTest, TheSameDeliveryTwiceInOneGroupIsStoredOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> stored = 0, duplicates = 0;
  WhileTheStoreIsBusy([&] {
    for (int i = 0; i < 6; ++i) {
      threads.emplace_back([&] { ++(*writer_->Insert(Delivery("{same}")) ? stored : duplicates); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(stored, 1);
  EXPECT_EQ(duplicates, 5);
  EXPECT_EQ(Stored(), 1);
}

TEST_P(InboxWriterTest, AFailingDeliveryFailsAloneInItsGroup) {
  // PostgreSQL refuses text that is not UTF-8 (the server refuses such a body before this) and
  // aborts the transaction at the failed statement; SQLite stores any bytes.
  if (!IsPostgres(GetParam())) GTEST_SKIP() << "SQLite takes any bytes";
  model::WebhookDelivery bad = Delivery("{bad}");
  bad.body = "not UTF-8: \xff";
  std::vector<std::thread> threads;
  std::map<std::string, common::Result<bool>> results;
  std::mutex mutex;
  const auto insert = [&](const model::WebhookDelivery& delivery) {
    threads.emplace_back([&, delivery] {
      common::Result<bool> inserted = writer_->Insert(delivery);
      std::lock_guard lock(mutex);
      results.emplace(delivery.delivery_id, std::move(inserted));
    });
  };
  WhileTheStoreIsBusy([&] {
    insert(Delivery("{lead}"));  // leads a group of its own, waiting for the store
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    insert(Delivery("{good-1}"));  // these three queue: the next group
    insert(bad);
    insert(Delivery("{good-2}"));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  });
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(results.size(), 4u);
  for (const char* good : {"{lead}", "{good-1}", "{good-2}"}) {
    ASSERT_TRUE(results.at(good).ok()) << good << ": " << results.at(good).status().message();
    EXPECT_TRUE(*results.at(good)) << good;
  }
  EXPECT_FALSE(results.at("{bad}").ok());
  EXPECT_EQ(Stored(), 3);
  EXPECT_EQ(writer_->groups_committed(), 2u);
}

TEST_P(InboxWriterTest, GroupsCommitAtOnceOnSeveralStores) {
  if (!IsPostgres(GetParam())) GTEST_SKIP() << "one store on SQLite";
  UsePool(4);  // two groups at once
  // Another session holds delivery {x} uncommitted: the group with {x} waits for it. A delivery
  // arriving meanwhile is committed by a second group on the pool's other store.
  std::optional<store::Transaction> holding;
  {
    auto begun = store_->Begin();
    ASSERT_TRUE(begun.ok());
    holding.emplace(std::move(begun).value());
  }
  ASSERT_TRUE(store_->webhook_inbox().InsertDelivery(Delivery("{x}")).ok());
  std::atomic<bool> x_done = false;
  std::thread x([&] {
    EXPECT_TRUE(*writer_->Insert(Delivery("{x}")));  // the other session rolls back
    x_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // {y} starts a transaction beside the committing group (at once: with never more than two
  // deliveries in the writer, none could join it; InboxWriterRuleTest has the rule).
  auto y = std::async(std::launch::async, [&] { return writer_->Insert(Delivery("{y}")); });
  const bool y_answered = y.wait_for(std::chrono::seconds(3)) == std::future_status::ready;
  EXPECT_TRUE(y_answered) << "{y} waited for the group of {x}";
  EXPECT_FALSE(x_done);
  holding.reset();  // rolls back
  x.join();
  const common::Result<bool> y_inserted = y.get();
  ASSERT_TRUE(y_inserted.ok()) << y_inserted.status().message();
  EXPECT_TRUE(*y_inserted);
  EXPECT_EQ(Stored(), 2);
}

// A group starts at once when none commits; beside committing ones, only with four deliveries
// waiting per committing group, or once the first has waited a millisecond; never beyond the
// most groups at once.
TEST(InboxWriterRuleTest, AnotherGroupStartsOnlyWithEnoughWaitingOrAfterAWait) {
  using std::chrono::microseconds;
  const auto may = [](std::size_t queued, std::size_t committing, microseconds waited) {
    return InboxWriter::GroupMayStart(queued, committing, 4, waited, 64);
  };
  EXPECT_TRUE(may(1, 0, microseconds(0)));
  EXPECT_FALSE(may(0, 0, microseconds(5000)));
  EXPECT_FALSE(may(3, 1, microseconds(100)));
  EXPECT_TRUE(may(4, 1, microseconds(0)));
  EXPECT_FALSE(may(7, 2, microseconds(999)));
  EXPECT_TRUE(may(8, 2, microseconds(0)));
  EXPECT_TRUE(may(1, 3, microseconds(1000)));
  EXPECT_FALSE(may(100, 4, microseconds(5000)));
}

TEST(InboxWriterRuleTest, WhereNoneCouldJoinTheWaitingOneItStartsAtOnce) {
  using std::chrono::microseconds;
  // Lately never more than two at once: one commits, the other would wait for nothing.
  EXPECT_TRUE(InboxWriter::GroupMayStart(1, 1, 4, microseconds(0), 2));
  EXPECT_TRUE(InboxWriter::GroupMayStart(1, 1, 4, microseconds(0), 1));
  // Three at once lately: a third may come to join the second.
  EXPECT_FALSE(InboxWriter::GroupMayStart(1, 1, 4, microseconds(0), 3));
  EXPECT_FALSE(InboxWriter::GroupMayStart(0, 1, 4, microseconds(0), 2));  // nothing waits
  EXPECT_FALSE(InboxWriter::GroupMayStart(1, 4, 4, microseconds(0), 2));  // all stores busy
}

LEADLINE_ON_EVERY_ENGINE(InboxWriterTest);

}  // namespace
}  // namespace leadline::api
