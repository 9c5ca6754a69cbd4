#include "store/sql/coordination_rows.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "store/change_listener.h"
#include "store/sql/temp_store_test.h"

namespace leadline::store::sql {
namespace {

using CoordinationTest = TempStoreTest;

TEST_P(CoordinationTest, ARecurringJobIsRunByOneServerAtATime) {
  std::unique_ptr<Store> other = std::move(OpenStore(url_)).value();
  Coordination& one = store_->coordination();
  Coordination& two = other->coordination();
  // Not due before its first time; then exactly one of two servers wins it.
  EXPECT_FALSE(*one.ClaimDueJob("reconcile", "server-1", 100, 160, 150));
  EXPECT_FALSE(*two.ClaimDueJob("reconcile", "server-2", 140, 200, 999));  // first due stays 150
  EXPECT_TRUE(*one.ClaimDueJob("reconcile", "server-1", 150, 210, 150));
  EXPECT_FALSE(*two.ClaimDueJob("reconcile", "server-2", 151, 211, 150));
  const auto held = *two.LoadJob("reconcile");
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(held->claimed_by, "server-1");
  EXPECT_EQ(held->claimed_until, 210);
  EXPECT_EQ(held->last_started_at, 150);
  EXPECT_EQ(held->last_finished_at, 0);

  // Renewed, it is not taken over; finished, it is due again later and held by nobody.
  EXPECT_TRUE(*one.RenewJob("reconcile", "server-1", 300));
  EXPECT_FALSE(*two.RenewJob("reconcile", "server-2", 300));
  EXPECT_FALSE(*two.ClaimDueJob("reconcile", "server-2", 250, 310, 150));
  ASSERT_TRUE(one.FinishJob("reconcile", "server-1", 150, 260, Status::Ok(), 1160).ok());
  auto done = *two.LoadJob("reconcile");
  EXPECT_EQ(done->due_at, 1160);
  EXPECT_EQ(done->claimed_by, "");
  EXPECT_TRUE(done->last_ok);
  EXPECT_EQ(done->last_good_at, 260);
  EXPECT_FALSE(*two.ClaimDueJob("reconcile", "server-2", 1000, 1060, 0));

  // A failed run keeps the last good time; a holder that died is taken over after its lease.
  EXPECT_TRUE(*two.ClaimDueJob("reconcile", "server-2", 1160, 1220, 0));
  EXPECT_FALSE(*one.ClaimDueJob("reconcile", "server-1", 1219, 1280, 0));
  EXPECT_TRUE(*one.ClaimDueJob("reconcile", "server-1", 1221, 1280, 0));
  // server-2's late finish no longer counts: the job is server-1's.
  ASSERT_TRUE(two.FinishJob("reconcile", "server-2", 1160, 1250, Status::Ok(), 9999).ok());
  EXPECT_EQ(one.LoadJob("reconcile")->value().claimed_by, "server-1");
  ASSERT_TRUE(
      one.FinishJob("reconcile", "server-1", 1221, 1230, Status::Unavailable("503"), 2230).ok());
  done = *two.LoadJob("reconcile");
  EXPECT_FALSE(done->last_ok);
  EXPECT_EQ(done->last_error, "503");
  EXPECT_EQ(done->last_good_at, 260);
  EXPECT_FALSE(two.LoadJob("never")->has_value());
}

TEST_P(CoordinationTest, TwoSyncsOfOneRepositoryNeverOverlap) {
  const std::int64_t repo = AddTestRepository(*store_);
  std::unique_ptr<Store> other = std::move(OpenStore(url_)).value();
  ASSERT_TRUE(store_->coordination().LockRepository(repo).ok());
  std::atomic<bool> second_has_it = false;
  std::thread second([&] {
    ASSERT_TRUE(other->coordination().LockRepository(repo).ok());
    second_has_it = true;
    ASSERT_TRUE(other->coordination().UnlockRepository(repo).ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(second_has_it);  // it waits for the first
  ASSERT_TRUE(store_->coordination().UnlockRepository(repo).ok());
  second.join();
  EXPECT_TRUE(second_has_it);
  // Another repository is not held up by this one.
  ASSERT_TRUE(store_->coordination().LockRepository(repo).ok());
  ASSERT_TRUE(other->coordination().LockRepository(repo + 1).ok());
  ASSERT_TRUE(other->coordination().UnlockRepository(repo + 1).ok());
  ASSERT_TRUE(store_->coordination().UnlockRepository(repo).ok());
}

TEST_P(CoordinationTest, AClosedConnectionLetsGoOfItsLocks) {
  if (GetParam() != Engine::kPostgres) GTEST_SKIP() << "a SQLite lock lives in its process";
  const std::int64_t repo = AddTestRepository(*store_);
  {
    std::unique_ptr<Store> dying = std::move(OpenStore(url_)).value();
    ASSERT_TRUE(dying->coordination().LockRepository(repo).ok());
  }  // closed without unlocking, as a killed process's connection would be
  ASSERT_TRUE(store_->coordination().LockRepository(repo).ok());
  ASSERT_TRUE(store_->coordination().UnlockRepository(repo).ok());
}

TEST_P(CoordinationTest, AnnouncedTopicsReachEveryListener) {
  auto listener = ListenForChanges(url_);
  ASSERT_TRUE(listener.ok()) << listener.status().message();
  if (GetParam() != Engine::kPostgres) {
    EXPECT_EQ(*listener, nullptr);  // SQLite has no notices; announcing is harmless
    EXPECT_TRUE(store_->coordination().Announce("data").ok());
    return;
  }
  ASSERT_NE(*listener, nullptr);
  EXPECT_TRUE((*listener)->Wait(std::chrono::milliseconds(50))->empty());
  ASSERT_TRUE(store_->coordination().Announce("inbox").ok());
  ASSERT_TRUE(store_->coordination().Announce("data server-1").ok());
  std::vector<std::string> topics;
  for (int i = 0; i < 50 && topics.size() < 2; ++i) {
    auto received = (*listener)->Wait(std::chrono::milliseconds(100));
    ASSERT_TRUE(received.ok()) << received.status().message();
    topics.insert(topics.end(), received->begin(), received->end());
  }
  EXPECT_EQ(topics, (std::vector<std::string>{"inbox", "data server-1"}));
}

LEADLINE_ON_EVERY_ENGINE(CoordinationTest);

}  // namespace
}  // namespace leadline::store::sql
