#include "engine/wavelet_matrix.h"

#include <algorithm>
#include <bit>

namespace leadline::engine {

// Level `bit` holds bit `bit` of each value, in the order the levels above it leave: each level
// moves its zeros (in order) before its ones (in order), so that a range of positions on one
// level maps to a range on the next, on either side.
WaveletMatrix::WaveletMatrix(std::span<const std::uint64_t> values) : size_(values.size()) {
  std::uint64_t largest = 0;
  for (std::uint64_t v : values) largest = std::max(largest, v);
  const int bits = static_cast<int>(std::bit_width(largest));
  words_per_level_ = size_ / 64 + 1;  // a word past the end, so that Ones(bit, size) reads one
  words_.assign(words_per_level_ * static_cast<std::size_t>(bits), 0);
  ones_before_.assign(words_.size(), 0);
  zeros_.assign(static_cast<std::size_t>(bits), 0);
  std::vector<std::uint64_t> current(values.begin(), values.end());
  std::vector<std::uint64_t> next(size_);
  for (int bit = bits - 1; bit >= 0; --bit) {
    std::uint64_t* words = &words_[words_per_level_ * static_cast<std::size_t>(bit)];
    std::size_t zeros = 0;
    for (std::size_t i = 0; i < size_; ++i) {
      const std::uint64_t one = (current[i] >> bit) & 1;
      words[i / 64] |= one << (i % 64);
      zeros += one ^ 1;
    }
    std::uint32_t* before = &ones_before_[words_per_level_ * static_cast<std::size_t>(bit)];
    std::uint32_t ones = 0;
    for (std::size_t w = 0; w < words_per_level_; ++w) {
      before[w] = ones;
      ones += static_cast<std::uint32_t>(std::popcount(words[w]));
    }
    zeros_[static_cast<std::size_t>(bit)] = zeros;
    std::size_t zero_at = 0;
    std::size_t one_at = zeros;
    for (std::uint64_t v : current) next[((v >> bit) & 1) != 0 ? one_at++ : zero_at++] = v;
    current.swap(next);
  }
}

std::size_t WaveletMatrix::Ones(int bit, std::size_t i) const {
  const std::size_t at = words_per_level_ * static_cast<std::size_t>(bit) + i / 64;
  const std::uint64_t below = (std::uint64_t{1} << (i % 64)) - 1;
  return ones_before_[at] + static_cast<std::size_t>(std::popcount(words_[at] & below));
}

std::uint64_t WaveletMatrix::Select(std::span<const Range> ranges, std::size_t k) {
  // Each range as it maps onto the level being read; a matrix narrower than that level has a
  // zero there for every value, so its range stays where it is on the zeros' side.
  std::vector<Range> at(ranges.begin(), ranges.end());
  int bits = 0;
  for (const Range& r : at) bits = std::max(bits, r.matrix->bits());
  std::uint64_t value = 0;
  for (int bit = bits - 1; bit >= 0; --bit) {
    std::size_t zeros = 0;
    for (const Range& r : at) {
      const std::size_t length = r.end - r.begin;
      zeros += bit >= r.matrix->bits()
                   ? length
                   : length - (r.matrix->Ones(bit, r.end) - r.matrix->Ones(bit, r.begin));
    }
    const bool one = k >= zeros;
    if (one) {
      k -= zeros;
      value |= std::uint64_t{1} << bit;
    }
    for (Range& r : at) {
      if (bit >= r.matrix->bits()) {
        if (one) r.begin = r.end;  // no value of it has this bit
        continue;
      }
      const std::size_t ones_begin = r.matrix->Ones(bit, r.begin);
      const std::size_t ones_end = r.matrix->Ones(bit, r.end);
      if (one) {
        const std::size_t zeros_here = r.matrix->zeros_[static_cast<std::size_t>(bit)];
        r.begin = zeros_here + ones_begin;
        r.end = zeros_here + ones_end;
      } else {
        r.begin -= ones_begin;
        r.end -= ones_end;
      }
    }
  }
  return value;
}

}  // namespace leadline::engine
