#include "common/parallel_for.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>

namespace leadline::common {
namespace {

TEST(ParallelForTest, EachItemRunsOnceAtMostThreadsAtATime) {
  std::vector<int> runs(40, 0);
  std::atomic<int> running = 0, most = 0;
  ParallelFor(runs.size(), 4, [&](std::size_t i) {
    const int now = ++running;
    for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ++runs[i];
    --running;
    return true;
  });
  for (int r : runs) EXPECT_EQ(r, 1);
  EXPECT_EQ(most.load(), 4);
}

TEST(ParallelForTest, AFailureStopsTheItemsAfterItButNotThoseBefore) {
  std::mutex mutex;
  std::set<std::size_t> ran;
  ParallelFor(100, 3, [&](std::size_t i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard lock(mutex);
    ran.insert(i);
    return i != 10;
  });
  for (std::size_t i = 0; i <= 10; ++i) EXPECT_TRUE(ran.contains(i)) << i;
  EXPECT_LT(ran.size(), 100u);  // at most the items already taken when 10 failed
  EXPECT_LE(*ran.rbegin(), 10u + 3u);
}

TEST(ParallelForTest, NoItemsOrOneThreadRunOnTheCallersThread) {
  int calls = 0;
  ParallelFor(0, 4, [&](std::size_t) { return ++calls > 0; });
  EXPECT_EQ(calls, 0);
  const std::thread::id caller = std::this_thread::get_id();
  bool elsewhere = false;
  ParallelFor(5, 1, [&](std::size_t) {
    elsewhere = elsewhere || std::this_thread::get_id() != caller;
    return true;
  });
  EXPECT_FALSE(elsewhere);
}

// Each thread is told its own index, so that what it keeps per thread is never shared.
TEST(ParallelForTest, EachThreadIsToldItsOwnIndex) {
  std::mutex mutex;
  std::map<std::size_t, std::set<std::thread::id>> ids;  // thread index -> the threads under it
  ParallelForOnThreads(60, 3, [&](std::size_t thread, std::size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard lock(mutex);
    ids[thread].insert(std::this_thread::get_id());
    return true;
  });
  ASSERT_EQ(ids.size(), 3u);
  for (const auto& [index, threads] : ids) EXPECT_EQ(threads.size(), 1u) << index;
  EXPECT_EQ(*ids[0].begin(), std::this_thread::get_id());  // 0: the caller's
}

}  // namespace
}  // namespace leadline::common
