#include "engine/distribution.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace leadline::engine {

double Quantile(const std::vector<double>& sorted, double p) {
  return QuantileAfterZeros(sorted, 0, p);
}

double QuantileAfterZeros(const std::vector<double>& sorted, std::size_t zeros, double p) {
  const std::size_t size = zeros + sorted.size();
  const auto at = [&](std::size_t i) { return i < zeros ? 0.0 : sorted[i - zeros]; };
  const double rank = p * static_cast<double>(size - 1);
  const std::size_t lower = static_cast<std::size_t>(std::floor(rank));
  const std::size_t upper = std::min(lower + 1, size - 1);
  const double fraction = rank - static_cast<double>(lower);
  return at(lower) + (at(upper) - at(lower)) * fraction;
}

namespace {

// Below this many values a selection by nth_element costs less than counting them.
constexpr std::size_t kCountFrom = 16384;
// Counting sorts values into this many buckets by the high bits of their range.
constexpr int kDigitBits = 16;
constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
// The most ranks one selection asks for: the two closest ranks of each of three quantiles.
constexpr std::size_t kMaxRanks = 6;

// The double's bits as an unsigned number that orders as the doubles do (NaN aside), and back.
std::uint64_t OrderedBits(double v) {
  const auto bits = std::bit_cast<std::uint64_t>(v);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}
double FromOrderedBits(std::uint64_t key) {
  return std::bit_cast<double>((key >> 63) != 0 ? key & ~(std::uint64_t{1} << 63) : ~key);
}

// The values' ordered bits lie in [low, high].
struct KeyRange {
  std::uint64_t low = ~std::uint64_t{0};
  std::uint64_t high = 0;
  void Add(std::uint64_t key) {
    low = std::min(low, key);
    high = std::max(high, key);
  }
};

// Sets out[i] to the value of rank ranks[i] among `values` (the value at that index were they
// sorted), for `count` ranks ascending; `range` holds the values' ordered bits. May reorder
// `values`. A large sample is counted into buckets by the high bits of its range (one pass),
// then only the values in the buckets that hold the ranks are looked at further, so that a
// million values cost about two passes instead of a partition per rank. Where a bucket holds
// a single value (a narrow range, or many equal values), counting alone finds it.
void SelectRanks(std::vector<double>& values, const std::size_t* ranks, std::size_t count,
                 double* out, KeyRange range) {
  if (range.low == range.high) {
    std::fill(out, out + count, FromOrderedBits(range.low));
    return;
  }
  if (values.size() < kCountFrom) {
    // Highest rank first: each selection leaves the lower ranks before it.
    auto end = values.end();
    for (std::size_t i = count; i-- > 0;) {
      const auto at = values.begin() + static_cast<std::ptrdiff_t>(ranks[i]);
      std::nth_element(values.begin(), at, end);
      out[i] = *at;
      end = at + 1;
    }
    return;
  }
  const int shift =
      std::max(0, static_cast<int>(std::bit_width(range.high - range.low)) - kDigitBits);
  const auto bucket_of = [&](double v) {
    return static_cast<std::size_t>((OrderedBits(v) - range.low) >> shift);
  };
  std::vector<std::uint32_t> counts(kBuckets);
  for (double v : values) ++counts[bucket_of(v)];
  // The buckets holding the ranks, each with the rank its first value has.
  std::size_t buckets[kMaxRanks], firsts[kMaxRanks], groups = 0;
  std::size_t before = 0;
  std::size_t bucket = 0;
  for (std::size_t i = 0; i < count; ++i) {
    while (before + counts[bucket] <= ranks[i]) before += counts[bucket++];
    if (shift == 0) {  // a bucket per value
      out[i] = FromOrderedBits(range.low + bucket);
      continue;
    }
    if (groups == 0 || buckets[groups - 1] != bucket) {
      buckets[groups] = bucket;
      firsts[groups++] = before;
    }
  }
  if (shift == 0) return;
  std::vector<double> members[kMaxRanks];
  KeyRange member_ranges[kMaxRanks];
  for (std::size_t g = 0; g < groups; ++g) members[g].reserve(counts[buckets[g]]);
  for (double v : values) {
    const std::size_t b = bucket_of(v);
    if (b < buckets[0] || b > buckets[groups - 1]) continue;
    for (std::size_t g = 0; g < groups; ++g) {
      if (b == buckets[g]) {
        members[g].push_back(v);
        member_ranges[g].Add(OrderedBits(v));
      }
    }
  }
  for (std::size_t i = 0, g = 0; g < groups; ++g) {
    std::size_t local[kMaxRanks];
    std::size_t n = 0;
    const std::size_t first = i;
    for (; i < count && ranks[i] < firsts[g] + members[g].size(); ++i) {
      local[n++] = ranks[i] - firsts[g];
    }
    SelectRanks(members[g], local, n, out + first, member_ranges[g]);
  }
}

}  // namespace

Distribution SummarizeByRank(
    std::size_t count, double sum,
    const std::function<void(std::span<const std::size_t>, std::span<double>)>& select) {
  Distribution out;
  out.count = count;
  if (count == 0) return out;
  out.mean = sum / static_cast<double>(count);
  // The two closest ranks of each quantile (linear between them, as Quantile).
  const double ps[3] = {0.5, 0.75, 0.9};
  double* results[3] = {&out.median, &out.p75, &out.p90};
  std::size_t ranks[kMaxRanks];
  std::size_t listed = 0;
  for (double p : ps) {
    const double rank = p * static_cast<double>(count - 1);
    const auto lower = static_cast<std::size_t>(std::floor(rank));
    // Ascending without repeats: a rank not above the last is one of the two already listed.
    for (std::size_t r : {lower, std::min(lower + 1, count - 1)}) {
      if (listed == 0 || r > ranks[listed - 1]) ranks[listed++] = r;
    }
  }
  double at[kMaxRanks];
  select({ranks, listed}, {at, listed});
  const auto value_of = [&](std::size_t r) {
    return at[std::lower_bound(ranks, ranks + listed, r) - ranks];
  };
  for (int i = 0; i < 3; ++i) {
    const double rank = ps[i] * static_cast<double>(count - 1);
    const auto lower = static_cast<std::size_t>(std::floor(rank));
    const double low = value_of(lower);
    const double high = value_of(std::min(lower + 1, count - 1));
    const double fraction = rank - static_cast<double>(lower);
    *results[i] = fraction == 0 ? low : low + (high - low) * fraction;
  }
  return out;
}

Distribution Summarize(std::vector<double>& values) {
  double sum = 0;
  KeyRange range;
  for (double v : values) {
    sum += v;
    range.Add(OrderedBits(v));
  }
  return SummarizeByRank(values.size(), sum,
                         [&](std::span<const std::size_t> ranks, std::span<double> out) {
                           SelectRanks(values, ranks.data(), ranks.size(), out.data(), range);
                         });
}

}  // namespace leadline::engine
