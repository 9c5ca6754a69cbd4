// The memory that requests may hold at once across all connections: read buffers, bodies and
// inflated bodies are charged before they are allocated, so that many connections together
// cannot take more than the budget however each stays within its own limits. A request whose
// memory would pass the budget is answered 503 with Retry-After instead.
//
// Ownership: a Charge returns its bytes when destroyed; the budget outlives every charge (the
// server core owns it, and connections end before it). Thread-safety: safe from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <utility>

namespace leadline::api {

class MemoryBudget {
 public:
  // Bytes taken from the budget, returned on destruction. Movable, not copyable.
  class Charge {
   public:
    Charge() = default;
    Charge(Charge&& other) noexcept
        : budget_(std::exchange(other.budget_, nullptr)), bytes_(other.bytes_) {}
    Charge& operator=(Charge&& other) noexcept {
      if (this != &other) {
        Return();
        budget_ = std::exchange(other.budget_, nullptr);
        bytes_ = other.bytes_;
      }
      return *this;
    }
    Charge(const Charge&) = delete;
    Charge& operator=(const Charge&) = delete;
    ~Charge() { Return(); }

    void Return() {
      if (budget_ != nullptr) budget_->used_.fetch_sub(bytes_, std::memory_order_relaxed);
      budget_ = nullptr;
    }

   private:
    friend class MemoryBudget;
    Charge(MemoryBudget* budget, std::size_t bytes) : budget_(budget), bytes_(bytes) {}
    MemoryBudget* budget_ = nullptr;
    std::size_t bytes_ = 0;
  };

  explicit MemoryBudget(std::size_t bytes) : bytes_(bytes) {}

  // `bytes` of the budget, or nothing when they would pass it.
  std::optional<Charge> Take(std::size_t bytes) {
    std::size_t used = used_.load(std::memory_order_relaxed);
    do {
      if (bytes > bytes_ || used > bytes_ - bytes) return std::nullopt;
    } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
    return Charge(this, bytes);
  }
  std::size_t used() const { return used_.load(std::memory_order_relaxed); }

 private:
  const std::size_t bytes_;
  std::atomic<std::size_t> used_ = 0;
};

}  // namespace leadline::api
