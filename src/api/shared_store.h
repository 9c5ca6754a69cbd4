// One store shared by the server's request threads: every use holds a mutex, so the Store's
// one-thread-at-a-time contract holds. SQLite serialises writers anyway; reads are short (the
// metrics come from in-memory facts, not the store). Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <utility>

#include "store/store.h"

namespace leadline::api {

class SharedStore {
 public:
  explicit SharedStore(std::unique_ptr<store::Store> store) : store_(std::move(store)) {}

  // Runs `use(store)` alone and returns what it returns.
  template <typename Use>
  auto With(Use&& use) {
    std::lock_guard lock(mutex_);
    return use(*store_);
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace leadline::api
