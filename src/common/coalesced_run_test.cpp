#include "common/coalesced_run.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace leadline::common {
namespace {

using namespace std::chrono_literals;

// A task that counts its runs and, while `hold` is set, blocks until it is cleared.
struct HeldTask {
  std::atomic<int> runs = 0;
  std::atomic<bool> hold = true;
  std::atomic<bool> running = false;
  int operator()() {
    const int run = ++runs;
    running = true;
    while (hold) std::this_thread::sleep_for(1ms);
    running = false;
    return run;
  }
};

template <typename Predicate>
void WaitFor(Predicate ready) {
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (!ready() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(ready());
}

TEST(CoalescedRunTest, CallersDuringARunShareTheNextRunAndTheRestAreTurnedAway) {
  CoalescedRun<int> coalesced(/*most_waiting=*/3);
  HeldTask task;
  const std::function<int()> run = [&] { return task(); };

  std::optional<int> first;
  std::thread first_caller([&] { first = coalesced.Run(run); });
  WaitFor([&] { return task.running.load(); });

  // Three callers arrive while run 1 is under way: each needs a run that starts after it asked.
  std::vector<std::optional<int>> waited(3);
  std::vector<std::thread> waiters;
  for (int i = 0; i < 3; ++i) waiters.emplace_back([&, i] { waited[i] = coalesced.Run(run); });
  WaitFor([&] { return coalesced.waiting() == 3; });
  // A fourth would hold a fourth thread: turned away at once, nothing run for it.
  EXPECT_EQ(coalesced.Run(run), std::nullopt);

  task.hold = false;
  first_caller.join();
  for (std::thread& waiter : waiters) waiter.join();
  EXPECT_EQ(first, 1);
  for (const std::optional<int>& result : waited) EXPECT_EQ(result, 2);  // one run, shared
  EXPECT_EQ(task.runs.load(), 2);

  // With nothing under way, a caller runs at once.
  EXPECT_EQ(coalesced.Run(run), 3);
}

TEST(CoalescedRunTest, ACallerNeverTakesTheResultOfARunThatStartedBeforeItAsked) {
  CoalescedRun<int> coalesced(4);
  HeldTask task;
  const std::function<int()> run = [&] { return task(); };
  std::optional<int> first, second;
  std::thread first_caller([&] { first = coalesced.Run(run); });
  WaitFor([&] { return task.running.load(); });
  std::thread second_caller([&] { second = coalesced.Run(run); });
  WaitFor([&] { return coalesced.waiting() == 1; });
  task.hold = false;
  first_caller.join();
  second_caller.join();
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 2);
}

TEST(CoalescedRunTest, ARunThatThrowsLeavesItsWaitersToRunAgain) {
  CoalescedRun<int> coalesced(4);
  std::atomic<bool> hold = true, running = false;
  std::atomic<int> runs = 0;
  const std::function<int()> run = [&]() -> int {
    const int n = ++runs;
    running = true;
    while (hold) std::this_thread::sleep_for(1ms);
    if (n == 2) throw std::runtime_error("run 2 fails");
    return n;
  };
  std::thread first_caller([&] { EXPECT_EQ(coalesced.Run(run), 1); });
  WaitFor([&] { return running.load(); });
  std::optional<int> a, b;
  bool a_threw = false, b_threw = false;
  std::thread waiter_a([&] {
    try {
      a = coalesced.Run(run);
    } catch (const std::runtime_error&) {
      a_threw = true;
    }
  });
  std::thread waiter_b([&] {
    try {
      b = coalesced.Run(run);
    } catch (const std::runtime_error&) {
      b_threw = true;
    }
  });
  WaitFor([&] { return coalesced.waiting() == 2; });
  hold = false;
  first_caller.join();
  waiter_a.join();
  waiter_b.join();
  // Run 2 threw on the thread that ran it; the other waiter ran run 3 instead of taking nothing.
  EXPECT_NE(a_threw, b_threw);
  EXPECT_EQ(a_threw ? b : a, 3);
  EXPECT_EQ(runs.load(), 3);
}

}  // namespace
}  // namespace leadline::common
