#include "engine/wavelet_matrix.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace leadline::engine {
namespace {

// The k-th smallest of the ranges' values, by sorting them.
std::uint64_t SortedSelect(const std::vector<std::vector<std::uint64_t>>& sequences,
                           const std::vector<WaveletMatrix::Range>& ranges,
                           const std::vector<WaveletMatrix>& matrices, std::size_t k) {
  std::vector<std::uint64_t> all;
  for (const WaveletMatrix::Range& r : ranges) {
    const auto& values = sequences[static_cast<std::size_t>(r.matrix - matrices.data())];
    all.insert(all.end(), values.begin() + static_cast<std::ptrdiff_t>(r.begin),
               values.begin() + static_cast<std::ptrdiff_t>(r.end));
  }
  std::sort(all.begin(), all.end());
  return all[k];
}

TEST(WaveletMatrixTest, SelectsByRankInOneSequence) {
  const std::vector<std::uint64_t> values = {5, 1, 9, 1, 0, 7, 3};
  const WaveletMatrix m(values);
  EXPECT_EQ(m.size(), 7u);
  EXPECT_EQ(m.bits(), 4);  // 9 = 0b1001
  const WaveletMatrix::Range all[] = {{&m, 0, 7}};
  const std::uint64_t sorted[] = {0, 1, 1, 3, 5, 7, 9};
  for (std::size_t k = 0; k < 7; ++k) EXPECT_EQ(WaveletMatrix::Select(all, k), sorted[k]) << k;
  const WaveletMatrix::Range middle[] = {{&m, 2, 5}};  // 9, 1, 0
  EXPECT_EQ(WaveletMatrix::Select(middle, 0), 0u);
  EXPECT_EQ(WaveletMatrix::Select(middle, 1), 1u);
  EXPECT_EQ(WaveletMatrix::Select(middle, 2), 9u);
}

TEST(WaveletMatrixTest, AllZerosAndEmpty) {
  const std::vector<std::uint64_t> zeros(100, 0);
  const WaveletMatrix m(zeros);
  EXPECT_EQ(m.bits(), 0);
  const WaveletMatrix::Range all[] = {{&m, 0, 100}};
  EXPECT_EQ(WaveletMatrix::Select(all, 99), 0u);
  const WaveletMatrix empty(std::vector<std::uint64_t>{});
  EXPECT_EQ(empty.size(), 0u);
}

// Ranges over matrices of different widths (one all zeros, one empty range), lengths across
// word boundaries, many equal values: every rank against a sort of the same values.
TEST(WaveletMatrixTest, MatchesASortAcrossRangesOfSeveralSequences) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 40; ++round) {
    std::vector<std::vector<std::uint64_t>> sequences;
    for (int s = 0; s < 5; ++s) {
      const std::size_t n = rng() % 300;
      const std::uint64_t spread =
          s == 0 ? 1 : (round % 3 == 0 ? 4 : std::uint64_t{1} << (rng() % 40 + 1));
      std::vector<std::uint64_t> values(n);
      for (auto& v : values) v = rng() % spread;
      sequences.push_back(std::move(values));
    }
    std::vector<WaveletMatrix> matrices;
    for (const auto& values : sequences) matrices.emplace_back(values);
    std::vector<WaveletMatrix::Range> ranges;
    std::size_t total = 0;
    for (std::size_t s = 0; s < matrices.size(); ++s) {
      const std::size_t n = sequences[s].size();
      std::size_t a = n == 0 ? 0 : rng() % (n + 1);
      std::size_t b = n == 0 ? 0 : rng() % (n + 1);
      if (a > b) std::swap(a, b);
      ranges.push_back({&matrices[s], a, b});
      total += b - a;
    }
    for (std::size_t k = 0; k < total; ++k) {
      ASSERT_EQ(WaveletMatrix::Select(ranges, k), SortedSelect(sequences, ranges, matrices, k))
          << "round " << round << ", rank " << k;
    }
  }
}

}  // namespace
}  // namespace leadline::engine
