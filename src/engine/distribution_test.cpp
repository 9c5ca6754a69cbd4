#include "engine/distribution.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

namespace leadline::engine {
namespace {

constexpr double kEps = 1e-9;

TEST(DistributionTest, EmptySampleIsAllZero) {
  std::vector<double> values;
  const Distribution d = Summarize(values);
  EXPECT_EQ(d.count, 0u);
  EXPECT_EQ(d.median, 0);
  EXPECT_EQ(d.p75, 0);
  EXPECT_EQ(d.p90, 0);
  EXPECT_EQ(d.mean, 0);
}

TEST(DistributionTest, SingleValue) {
  std::vector<double> values = {7};
  const Distribution d = Summarize(values);
  EXPECT_EQ(d.count, 1u);
  EXPECT_EQ(d.median, 7);
  EXPECT_EQ(d.p75, 7);
  EXPECT_EQ(d.p90, 7);
  EXPECT_EQ(d.mean, 7);
}

TEST(DistributionTest, OddSampleMedianIsTheMiddleValue) {
  std::vector<double> values = {5, 1, 3};
  const Distribution d = Summarize(values);
  EXPECT_EQ(values, (std::vector<double>{1, 3, 5}));  // sorted in place
  EXPECT_EQ(d.count, 3u);
  EXPECT_NEAR(d.median, 3, kEps);  // rank 0.5 * 2 = 1 -> 3
  EXPECT_NEAR(d.p75, 4, kEps);     // rank 0.75 * 2 = 1.5 -> 3 + 0.5 * (5 - 3) = 4
  EXPECT_NEAR(d.p90, 4.6, kEps);   // rank 0.9 * 2 = 1.8 -> 3 + 0.8 * (5 - 3) = 4.6
  EXPECT_NEAR(d.mean, 3, kEps);    // 9 / 3
}

TEST(DistributionTest, EvenSampleMedianInterpolates) {
  std::vector<double> values = {4, 1, 3, 2};
  const Distribution d = Summarize(values);
  EXPECT_EQ(d.count, 4u);
  EXPECT_NEAR(d.median, 2.5, kEps);  // rank 1.5 -> 2 + 0.5 * (3 - 2)
  EXPECT_NEAR(d.p75, 3.25, kEps);    // rank 0.75 * 3 = 2.25 -> 3 + 0.25 * (4 - 3)
  EXPECT_NEAR(d.p90, 3.7, kEps);     // rank 0.9 * 3 = 2.7 -> 3 + 0.7 * (4 - 3)
  EXPECT_NEAR(d.mean, 2.5, kEps);    // 10 / 4
}

TEST(DistributionTest, TenValues) {
  std::vector<double> values = {100, 90, 80, 70, 60, 50, 40, 30, 20, 10};
  const Distribution d = Summarize(values);
  EXPECT_EQ(d.count, 10u);
  EXPECT_NEAR(d.median, 55, kEps);  // rank 0.5 * 9 = 4.5 -> 50 + 0.5 * 10
  EXPECT_NEAR(d.p75, 77.5, kEps);   // rank 0.75 * 9 = 6.75 -> 70 + 0.75 * 10
  EXPECT_NEAR(d.p90, 91, kEps);     // rank 0.9 * 9 = 8.1 -> 90 + 0.1 * 10
  EXPECT_NEAR(d.mean, 55, kEps);    // 550 / 10
}

TEST(DistributionTest, SkewedSample) {
  std::vector<double> values = {1000, 0, 10, 100, 1};
  const Distribution d = Summarize(values);
  EXPECT_NEAR(d.median, 10, kEps);   // sorted {0, 1, 10, 100, 1000}; rank 2
  EXPECT_NEAR(d.p75, 100, kEps);     // rank 0.75 * 4 = 3
  EXPECT_NEAR(d.p90, 640, kEps);     // rank 0.9 * 4 = 3.6 -> 100 + 0.6 * 900
  EXPECT_NEAR(d.mean, 222.2, kEps);  // 1111 / 5
}

TEST(DistributionTest, RepeatedValues) {
  std::vector<double> values = {2, 2, 2, 8};
  const Distribution d = Summarize(values);
  EXPECT_NEAR(d.median, 2, kEps);  // rank 1.5 between 2 and 2
  EXPECT_NEAR(d.p75, 3.5, kEps);   // rank 2.25 -> 2 + 0.25 * (8 - 2)
  EXPECT_NEAR(d.p90, 6.2, kEps);   // rank 2.7 -> 2 + 0.7 * 6
  EXPECT_NEAR(d.mean, 3.5, kEps);  // 14 / 4
}

TEST(QuantileTest, EndsAreTheMinimumAndMaximum) {
  const std::vector<double> sorted = {1, 2, 4, 8};
  EXPECT_EQ(Quantile(sorted, 0), 1);
  EXPECT_EQ(Quantile(sorted, 1), 8);
  EXPECT_NEAR(Quantile(sorted, 0.25), 1.75, kEps);  // rank 0.75 -> 1 + 0.75 * (2 - 1)
  EXPECT_NEAR(Quantile(sorted, 0.5), 3, kEps);      // rank 1.5 -> 2 + 0.5 * (4 - 2)
}

TEST(QuantileTest, LeadingZerosCountWithoutBeingListed) {
  const std::vector<double> counts = {1, 3, 4};
  for (std::size_t zeros = 0; zeros <= 6; ++zeros) {
    std::vector<double> whole(zeros, 0.0);
    whole.insert(whole.end(), counts.begin(), counts.end());
    for (double p : {0.0, 0.25, 0.5, 0.75, 0.9, 1.0}) {
      EXPECT_EQ(QuantileAfterZeros(counts, zeros, p), Quantile(whole, p))
          << zeros << " zeros, p=" << p;
    }
  }
  EXPECT_EQ(QuantileAfterZeros({}, 1000000000000, 0.5), 0);  // no list of a trillion zeros
  EXPECT_EQ(QuantileAfterZeros({7}, 1, 0.5), 3.5);
}

TEST(DistributionTest, MatchesTheSortedQuantilesOnRandomSamples) {
  std::mt19937 rng(11);
  for (std::size_t n = 1; n <= 300; ++n) {
    std::vector<double> values(n);
    // Few distinct values in some samples, so ranks tie.
    const int spread = n % 3 == 0 ? 4 : 1000000;
    for (double& v : values) v = static_cast<double>(static_cast<int>(rng() % spread));
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const Distribution d = Summarize(values);
    ASSERT_EQ(d.median, Quantile(sorted, 0.5)) << "n=" << n;
    ASSERT_EQ(d.p75, Quantile(sorted, 0.75)) << "n=" << n;
    ASSERT_EQ(d.p90, Quantile(sorted, 0.9)) << "n=" << n;
  }
}

// Samples large enough to be counted rather than partitioned, in the shapes real samples take:
// spread over many orders of magnitude, bunched in one bucket, all equal, with negatives and
// fractions, each checked against the quantiles of the sorted sample.
TEST(DistributionTest, LargeSamplesMatchTheSortedQuantiles) {
  std::mt19937_64 rng(29);
  const auto check = [](std::vector<double> values, const char* shape) {
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const double sum = std::accumulate(values.begin(), values.end(), 0.0);
    const Distribution d = Summarize(values);
    EXPECT_EQ(d.count, sorted.size()) << shape;
    EXPECT_EQ(d.median, Quantile(sorted, 0.5)) << shape;
    EXPECT_EQ(d.p75, Quantile(sorted, 0.75)) << shape;
    EXPECT_EQ(d.p90, Quantile(sorted, 0.9)) << shape;
    EXPECT_EQ(d.mean, sum / static_cast<double>(sorted.size())) << shape;
  };
  for (std::size_t n : {16383u, 16384u, 16385u, 100000u, 250001u}) {
    std::vector<double> lead_times(n), bunched(n), equal(n, 86400), mixed(n), two(n);
    std::lognormal_distribution<double> lognormal(11, 2.5);
    for (std::size_t i = 0; i < n; ++i) {
      lead_times[i] = std::floor(lognormal(rng));                  // seconds to months
      bunched[i] = 3600 * 1000 + static_cast<double>(rng() % 50);  // one top-level bucket
      mixed[i] = (static_cast<double>(rng() % 2000000) - 1000000) / 7.0;
      two[i] = i % 3 == 0 ? 1.0 : 1e9;  // two values, the quantiles on their boundary
    }
    check(lead_times, "lead times");
    check(bunched, "bunched");
    check(equal, "equal");
    check(mixed, "negatives and fractions");
    check(two, "two values");
  }
}

}  // namespace
}  // namespace leadline::engine
