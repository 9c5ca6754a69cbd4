// The stores the server's request threads share: a pool of N stores opened from one URL, each
// lent to one thread at a time (the Store's contract). A thread that finds every store lent waits
// for one, at most the pool's wait, and is then told Unavailable (the routes answer 503). On
// SQLite the server keeps one store (SQLite serialises writers anyway); on PostgreSQL several, so
// that requests and the inbox's grouped commits run in parallel.
//
// Ownership: owns its stores; they are closed (their connections ended) when it is destroyed,
// which its owner does once no thread uses it. Thread-safety: With() may be called from any number
// of threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/store.h"

namespace leadline::api {

class SharedStore {
 public:
  // How long a use waits for a free store by default.
  static constexpr std::chrono::milliseconds kDefaultWait{5000};

  // Opens `size` (at least 1) stores of `url`, each deferring the store's housekeeping (SQLite's
  // WAL checkpoints: request threads never pay for one; the webhook applier does them).
  static common::Result<std::unique_ptr<SharedStore>> Open(
      const std::string& url, int size, std::chrono::milliseconds wait = kDefaultWait);

  // A pool of the given stores (at least one).
  explicit SharedStore(std::vector<std::unique_ptr<store::Store>> stores,
                       std::chrono::milliseconds wait = kDefaultWait);
  // A pool of one store.
  explicit SharedStore(std::unique_ptr<store::Store> store,
                       std::chrono::milliseconds wait = kDefaultWait);
  SharedStore(const SharedStore&) = delete;
  SharedStore& operator=(const SharedStore&) = delete;

  // Runs `use(store)` on a store no other thread uses meanwhile and returns what it returns: a
  // Status or a Result, which is Unavailable when no store came free within the wait.
  template <typename Use>
  auto With(Use&& use) -> std::invoke_result_t<Use, store::Store&> {
    using Returned = std::invoke_result_t<Use, store::Store&>;
    static_assert(std::is_constructible_v<Returned, common::Status>,
                  "a use of the shared store returns a Status or a Result, which can say that no "
                  "store was free");
    Lease lease(*this);
    if (lease.store() == nullptr) return Returned(Busy());
    return use(*lease.store());
  }

  // How many stores the pool holds.
  std::size_t size() const { return stores_.size(); }

 private:
  // A store lent for one use: taken from `free_` (null when none came free in time), given back
  // when the use ends, however it ends.
  class Lease {
   public:
    explicit Lease(SharedStore& pool) : pool_(pool), store_(pool.Take()) {}
    ~Lease() {
      if (store_ != nullptr) pool_.Give(store_);
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    store::Store* store() const { return store_; }

   private:
    SharedStore& pool_;
    store::Store* const store_;
  };

  store::Store* Take();
  void Give(store::Store* store);
  common::Status Busy() const;

  const std::vector<std::unique_ptr<store::Store>> stores_;
  const std::chrono::milliseconds wait_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<store::Store*> free_;  // stores no use holds
};

}  // namespace leadline::api
