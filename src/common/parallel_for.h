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

template <typename Work>  // bool(std::size_t index): false to take no more items
void ParallelFor(std::size_t count, std::size_t threads, const Work& work) {
  std::atomic<std::size_t> next = 0;
  std::atomic<bool> stopped = false;
  const auto take = [&] {
    for (std::size_t i; !stopped && (i = next++) < count;) {
      if (!work(i)) stopped = true;
    }
  };
  std::vector<std::thread> helpers;
  for (std::size_t i = 1; i < std::min(threads, count); ++i) helpers.emplace_back(take);
  take();
  for (std::thread& helper : helpers) helper.join();
}

}  // namespace leadline::common
