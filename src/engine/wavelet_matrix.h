// A sequence of unsigned integers that finds the k-th smallest value among index ranges of
// several such sequences together, in time proportional to the number of ranges times the
// values' bit width, however long the ranges are: a wavelet matrix (Claude, Navarro and Ordóñez,
// "The wavelet matrix", 2015). Scope queries use it for lead-time quantiles, so that a year of a
// large project costs what a day does.
//
// Per value and bit of the widest value: one bit, and a rank count per 64 of them (about 1.5 bits
// in all). Building takes a pass per bit. Immutable once built; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace leadline::engine {

class WaveletMatrix {
 public:
  WaveletMatrix() = default;
  explicit WaveletMatrix(std::span<const std::uint64_t> values);

  std::size_t size() const { return size_; }
  // The bit width of the largest value (0 when every value is 0 or there are none).
  int bits() const { return static_cast<int>(zeros_.size()); }

  // The values [begin, end) of one matrix.
  struct Range {
    const WaveletMatrix* matrix = nullptr;
    std::size_t begin = 0;
    std::size_t end = 0;
  };
  // The value of rank `k` (from 0, ascending) among the values of all `ranges` together; `k`
  // must be below their total length.
  static std::uint64_t Select(std::span<const Range> ranges, std::size_t k);

 private:
  // The ones among the first `i` bits of bit `bit`'s level.
  std::size_t Ones(int bit, std::size_t i) const;

  std::size_t size_ = 0;
  std::size_t words_per_level_ = 0;
  std::vector<std::uint64_t> words_;        // by level (bit 0 first), then position
  std::vector<std::uint32_t> ones_before_;  // per word: the ones before it in its level
  std::vector<std::size_t> zeros_;          // per bit: the zeros in its level
};

}  // namespace leadline::engine
