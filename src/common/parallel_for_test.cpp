#include "common/parallel_for.h"

#include <gtest/gtest.h>

#include <chrono>
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

}  // namespace
}  // namespace leadline::common
