#include "api/shared_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "store/sql/temp_store_test.h"

namespace leadline::api {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class SharedStoreTest : public store::TempStoreTest {
 protected:
  std::unique_ptr<SharedStore> Pool(int size, milliseconds wait = SharedStore::kDefaultWait) {
    auto pool = SharedStore::Open(url_, size, wait);
    EXPECT_TRUE(pool.ok()) << pool.status().message();
    return pool.ok() ? std::move(pool).value() : nullptr;
  }

  // Holds the pool's only store on another thread until `release` is set; returns once it does.
  std::thread Hold(SharedStore& pool, std::promise<void>& held, std::shared_future<void> release) {
    std::thread holder([&pool, &held, release] {
      (void)pool.With([&](store::Store&) {
        held.set_value();
        release.wait();
        return common::Status::Ok();
      });
    });
    held.get_future().wait();
    return holder;
  }
};

TEST_P(SharedStoreTest, EachStoreServesOneThreadAtATime) {
  constexpr int kSize = 3, kThreads = 8, kUses = 20;
  auto pool = Pool(kSize);
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->size(), std::size_t{kSize});
  std::mutex mutex;
  std::map<const store::Store*, int> users;  // threads in a use of each store
  int at_once = 0, most_at_once = 0, overlaps = 0, failed = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kUses; ++i) {
        const common::Status used = pool->With([&](store::Store& store) {
          {
            std::lock_guard lock(mutex);
            if (users[&store]++ > 0) ++overlaps;
            most_at_once = std::max(most_at_once, ++at_once);
          }
          const common::Status asked = store.SchemaVersion().status();  // the store works
          std::this_thread::sleep_for(milliseconds(2));
          std::lock_guard lock(mutex);
          --users[&store];
          --at_once;
          return asked;
        });
        if (!used.ok()) {
          std::lock_guard lock(mutex);
          ++failed;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(overlaps, 0);
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(users.size(), std::size_t{kSize});  // every store was lent
  EXPECT_EQ(most_at_once, kSize);               // and all of them at once
}

TEST_P(SharedStoreTest, AUseWaitsForABusyStore) {
  auto pool = Pool(1);
  ASSERT_NE(pool, nullptr);
  std::promise<void> held, release;
  std::thread holder = Hold(*pool, held, release.get_future().share());
  std::thread releaser([&] {
    std::this_thread::sleep_for(milliseconds(300));
    release.set_value();
  });
  const Clock::time_point start = Clock::now();
  const common::Result<int> version =
      pool->With([](store::Store& store) { return store.SchemaVersion(); });
  EXPECT_TRUE(version.ok()) << version.status().message();
  EXPECT_GE(Clock::now() - start, milliseconds(200));
  releaser.join();
  holder.join();
}

TEST_P(SharedStoreTest, NoStoreFreeWithinTheWaitIsUnavailable) {
  auto pool = Pool(1, milliseconds(100));
  ASSERT_NE(pool, nullptr);
  std::promise<void> held, release;
  std::thread holder = Hold(*pool, held, release.get_future().share());
  bool ran = false;
  const Clock::time_point start = Clock::now();
  const common::Status status = pool->With([&](store::Store&) {
    ran = true;
    return common::Status::Ok();
  });
  const common::Result<int> version = pool->With([&](store::Store& store) {
    ran = true;
    return store.SchemaVersion();
  });
  const Clock::duration waited = Clock::now() - start;
  release.set_value();
  holder.join();
  EXPECT_FALSE(ran);
  EXPECT_EQ(status.code(), common::StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("store is busy"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("100 ms"), std::string::npos) << status.message();
  EXPECT_EQ(version.status().code(), common::StatusCode::kUnavailable);
  EXPECT_GE(waited, milliseconds(200));
  EXPECT_LT(waited, milliseconds(3000));
  // Given back, the store serves the next use.
  EXPECT_TRUE(pool->With([](store::Store& store) { return store.SchemaVersion(); }).ok());
}

TEST_P(SharedStoreTest, AStoreComesBackAfterAUseThatThrows) {
  auto pool = Pool(1, milliseconds(100));
  ASSERT_NE(pool, nullptr);
  EXPECT_THROW((void)pool->With([](store::Store&) -> common::Status {
    throw std::runtime_error("a use that fails");
  }),
               std::runtime_error);
  EXPECT_TRUE(pool->With([](store::Store& store) { return store.SchemaVersion(); }).ok());
}

TEST_P(SharedStoreTest, APoolHoldsAtLeastOneStore) {
  const auto pool = SharedStore::Open(url_, 0);
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().code(), common::StatusCode::kInvalidArgument);
}

TEST_P(SharedStoreTest, ThePoolsConnectionsAreClosedWithIt) {
  if (GetParam() != store::sql::Engine::kPostgres) GTEST_SKIP() << "PostgreSQL's sessions";
  // Sessions on the test's database other than the counting one.
  const auto sessions = [&] {
    return Count(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
        "pg_backend_pid()");
  };
  const std::int64_t before = sessions();
  auto pool = Pool(4);
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(sessions(), before + 4);
  pool.reset();
  // A server process ends its session a moment after the client closes it.
  std::int64_t after = sessions();
  for (int i = 0; i < 50 && after != before; ++i) {
    std::this_thread::sleep_for(milliseconds(100));
    after = sessions();
  }
  EXPECT_EQ(after, before);
}

LEADLINE_ON_EVERY_ENGINE(SharedStoreTest);

}  // namespace
}  // namespace leadline::api
