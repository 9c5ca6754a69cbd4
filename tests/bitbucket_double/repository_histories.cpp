#include "repository_histories.h"

#include <algorithm>
#include <stdexcept>

namespace leadline::testing {

RepositoryHistories::RepositoryHistories(int count, std::int64_t start,
                                         std::function<void(GitHistory&, int)> grow)
    : start_(start),
      grow_(std::move(grow)),
      histories_(static_cast<std::size_t>(std::max(count, 1))),
      errors_(histories_.size()),
      next_(1) {
  // The first at once: what cannot be made (no git, say) fails here rather than in a request.
  histories_[0] = std::make_unique<GitHistory>(start_);
  grow_(*histories_[0], 0);
  const std::size_t threads = std::min<std::size_t>(
      std::max(std::thread::hardware_concurrency(), 1u), histories_.size() - 1);
  for (std::size_t t = 0; t < threads; ++t) {
    threads_.emplace_back([this] {
      while (true) {
        std::size_t index = 0;
        {
          std::lock_guard lock(mutex_);
          if (next_ == histories_.size()) return;
          index = next_++;
        }
        Make(index);
      }
    });
  }
}

RepositoryHistories::~RepositoryHistories() {
  {
    // Histories not begun yet are not made.
    std::lock_guard lock(mutex_);
    next_ = histories_.size();
  }
  for (std::thread& thread : threads_) thread.join();
}

void RepositoryHistories::Make(std::size_t index) {
  std::unique_ptr<GitHistory> history;
  std::exception_ptr error;
  try {
    history = std::make_unique<GitHistory>(start_);
    grow_(*history, static_cast<int>(index));
  } catch (...) {
    error = std::current_exception();
  }
  std::lock_guard lock(mutex_);
  if (error) {
    errors_[index] = error;
  } else {
    histories_[index] = std::move(history);
  }
  made_.notify_all();
}

GitHistory& RepositoryHistories::at(int index) const {
  const auto i = static_cast<std::size_t>(index);
  if (i >= histories_.size()) throw std::out_of_range("no history " + std::to_string(index));
  std::unique_lock lock(mutex_);
  made_.wait(lock, [&] { return histories_[i] != nullptr || errors_[i] != nullptr; });
  if (errors_[i]) std::rethrow_exception(errors_[i]);
  return *histories_[i];
}

}  // namespace leadline::testing
