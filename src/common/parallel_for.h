// Runs `work(i)` for each i in [0, count) on at most `threads` threads at once, the caller's
// thread among them (for requests to an upstream, a few in flight at a time). Items are taken in
// increasing order, so when `work` returns false (a failure: take no more), every item before the
// one that failed has been or is being run to its end; the items after it may never run.
// Returns when every running item has ended. Thread-safety: `work` is called from several threads
// at once and must write only what belongs to its item.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace leadline::common {

// The same, telling `work` which thread runs it (0: the caller's; below `threads`), for work that
// keeps something of its own per thread, such as a store connection.
template <typename Work>  // bool(std::size_t thread, std::size_t index): false to take no more
void ParallelForOnThreads(std::size_t count, std::size_t threads, const Work& work) {
  std::atomic<std::size_t> next = 0;
  std::atomic<bool> stopped = false;
  const auto take = [&](std::size_t thread) {
    for (std::size_t i; !stopped && (i = next++) < count;) {
      if (!work(thread, i)) stopped = true;
    }
  };
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < std::min(threads, count); ++t) helpers.emplace_back(take, t);
  take(0);
  for (std::thread& helper : helpers) helper.join();
}

template <typename Work>  // bool(std::size_t index): false to take no more items
void ParallelFor(std::size_t count, std::size_t threads, const Work& work) {
  ParallelForOnThreads(count, threads, [&](std::size_t, std::size_t i) { return work(i); });
}

}  // namespace leadline::common
