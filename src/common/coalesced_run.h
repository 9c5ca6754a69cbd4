// Runs an expensive task for many callers at once: whatever the number of concurrent callers,
// at most one run is under way and at most one more is waited for, and a bounded number of
// callers wait at all. A caller needs a run that started after it asked (what it asks about may
// have changed just before), so a caller that finds a run under way waits for the next run and
// shares its result with every other caller waiting for it; the first of them to see the running
// one end starts it. A caller that would be waiter number `most_waiting + 1` is turned away at
// once (nullopt), so that callers never hold more than `most_waiting` threads: the server's
// request threads are few, and a client looping on a costly route must not take all of them.
//
// Thread-safety: Run() may be called from any number of threads at once. The task runs on the
// thread of the caller that starts it, without the lock held.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

namespace leadline::common {

template <typename Result>
class CoalescedRun {
 public:
  explicit CoalescedRun(std::size_t most_waiting) : most_waiting_(most_waiting) {}

  // The result of a run of `task` that started after this call began, or nullopt when
  // `most_waiting` callers already wait for the next run.
  std::optional<Result> Run(const std::function<Result()>& task) {
    std::unique_lock lock(mutex_);
    const std::uint64_t needed = started_ + 1;
    if (running_) {
      if (waiting_ >= most_waiting_) return std::nullopt;
      ++waiting_;
      ended_.wait(lock, [&] { return ended_runs_ >= needed || !running_; });
      --waiting_;
      if (ended_runs_ >= needed) return last_;  // another waiter ran it
    }
    running_ = true;
    started_ = needed;
    lock.unlock();
    std::optional<Result> result;
    try {
      result.emplace(task());
    } catch (...) {
      Finish(needed, std::nullopt);
      throw;
    }
    Finish(needed, result);
    return result;
  }

  // Callers waiting for the next run now (for tests and status).
  std::size_t waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_;
  }

 private:
  // `result` none: the run threw, and its waiters start another.
  void Finish(std::uint64_t run, const std::optional<Result>& result) {
    std::lock_guard lock(mutex_);
    running_ = false;
    if (result) {
      last_ = result;
      ended_runs_ = run;
    } else {
      started_ = ended_runs_;  // the waiters still need a run after theirs began
    }
    ended_.notify_all();
  }

  const std::size_t most_waiting_;
  mutable std::mutex mutex_;
  std::condition_variable ended_;
  bool running_ = false;
  std::uint64_t started_ = 0;     // runs started (the running one included)
  std::uint64_t ended_runs_ = 0;  // the last run that ended with a result
  std::size_t waiting_ = 0;
  std::optional<Result> last_;  // that run's result
};

}  // namespace leadline::common
