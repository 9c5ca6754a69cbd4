// Clock: the passing of time behind an interface, so that code that waits (retries, rate
// budgets) can be tested without sleeping. SystemClock is thread-safe; test clocks need not be.
#pragma once

#include <chrono>

namespace leadline::common {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual TimePoint Now() = 0;
  virtual void SleepFor(Duration duration) = 0;
};

// The real steady clock and std::this_thread::sleep_for.
Clock& SystemClock();

}  // namespace leadline::common
