#include "api/inbox_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "testing/git_script.h"

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

class InboxWriterTest : public ::testing::Test {
 protected:
  InboxWriterTest()
      : store_(std::move(store::OpenStore(dir_.Child("store.db"))).value()), writer_(store_) {}

  std::int64_t Stored() {
    return store_.With([](store::Store& store) { return *store.CountUnappliedDeliveries(); });
  }

  testing::TempDir dir_;
  SharedStore store_;
  InboxWriter writer_;
};

TEST_F(InboxWriterTest, ConcurrentDeliveriesAreEachStoredOnce) {
  constexpr int kThreads = 16, kEach = 50;
  std::atomic<int> stored = 0, duplicates = 0, failed = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every delivery is sent twice, by two threads: one of the two is a duplicate.
        const std::string id = "{d-" + std::to_string(t / 2) + "-" + std::to_string(i) + "}";
        const auto inserted = writer_.Insert(Delivery(id));
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

TEST_F(InboxWriterTest, DeliveriesQueuedBehindACommitShareTheNextTransaction) {
  constexpr int kWaiting = 8;
  std::vector<std::thread> threads;
  std::atomic<int> stored = 0;
  // While the store is busy, deliveries queue: the first takes the lead and waits for the store,
  // the others queue behind it; its group holds itself alone, theirs all of the rest.
  store_.With([&](store::Store&) {
    for (int i = 0; i < kWaiting; ++i) {
      threads.emplace_back([&, i] {
        if (*writer_.Insert(Delivery("{q-" + std::to_string(i) + "}"))) ++stored;
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return 0;
  });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(stored, kWaiting);
  EXPECT_EQ(Stored(), kWaiting);
  EXPECT_EQ(writer_.groups_committed(), 2u);
}

TEST_F(InboxWriterTest, TheSameDeliveryTwiceInOneGroupIsStoredOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> stored = 0, duplicates = 0;
  store_.With([&](store::Store&) {
    for (int i = 0; i < 6; ++i) {
      threads.emplace_back([&] { ++(*writer_.Insert(Delivery("{same}")) ? stored : duplicates); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return 0;
  });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(stored, 1);
  EXPECT_EQ(duplicates, 5);
  EXPECT_EQ(Stored(), 1);
}

}  // namespace
}  // namespace leadline::api
