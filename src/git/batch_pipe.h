// BatchPipe: hands items from one producer thread to one consumer thread in batches, so that
// each side locks once per batch rather than once per item. At most `max_batches` full batches
// wait; the producer blocks beyond that (the history is not held in memory twice). Either side
// can stop the other: the consumer by Cancel(), the producer by Close(status).
// Internal to src/git. Thread-safe for exactly one producer and one consumer.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include "common/status.h"

namespace leadline::git {

template <typename T>
class BatchPipe {
 public:
  BatchPipe(std::size_t batch_size, std::size_t max_batches)
      : batch_size_(batch_size), max_batches_(max_batches) {
    filling_.reserve(batch_size_);
  }

  // Producer: adds one item. Returns false once the consumer has cancelled: stop producing.
  bool Push(T&& item) {
    filling_.push_back(std::move(item));
    if (filling_.size() < batch_size_) return true;
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return cancelled_ || full_.size() < max_batches_; });
    if (cancelled_) return false;
    full_.push_back(std::move(filling_));
    filling_ = std::vector<T>();
    filling_.reserve(batch_size_);
    ready_.notify_one();
    return true;
  }

  // Producer: no more items; `status` is what the producer ended with.
  void Close(common::Status status) {
    std::lock_guard lock(mutex_);
    if (!filling_.empty()) full_.push_back(std::move(filling_));
    status_ = std::move(status);
    closed_ = true;
    ready_.notify_one();
  }

  // Consumer: the next batch, or false when the producer closed and everything was taken.
  bool Pop(std::vector<T>& batch) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return closed_ || !full_.empty(); });
    if (full_.empty()) return false;
    batch = std::move(full_.front());
    full_.pop_front();
    space_.notify_one();
    return true;
  }

  // Consumer: stop the producer (its next full batch is refused).
  void Cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    space_.notify_one();
  }

  // After the producer closed: the status it closed with.
  const common::Status& status() const { return status_; }

 private:
  const std::size_t batch_size_;
  const std::size_t max_batches_;
  std::vector<T> filling_;  // the producer's own, unlocked
  std::mutex mutex_;
  std::condition_variable ready_;  // a batch is waiting, or the producer closed
  std::condition_variable space_;  // a batch was taken, or the consumer cancelled
  std::deque<std::vector<T>> full_;
  bool closed_ = false;
  bool cancelled_ = false;
  common::Status status_ = common::Status::Ok();
};

}  // namespace leadline::git
