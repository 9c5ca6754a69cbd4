#include "engine/distribution.h"

#include <algorithm>
#include <cmath>
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

// Quantile() without sorting, so that a summary of a million values takes linear time: selects
// the rank below p among values[0, *end) and takes the next one as the minimum above it. Leaves
// everything before that rank no greater than it, and sets *end to the rank + 1, so that a lower
// quantile selects only within that prefix. The result equals Quantile's exactly.
double SelectQuantile(std::vector<double>& values, double p, std::size_t* end) {
  const double rank = p * static_cast<double>(values.size() - 1);
  const std::size_t lower = static_cast<std::size_t>(std::floor(rank));
  const auto first = values.begin();
  const auto lower_it = first + static_cast<std::ptrdiff_t>(lower);
  const auto last = first + static_cast<std::ptrdiff_t>(*end);
  std::nth_element(first, lower_it, last);
  const double low = *lower_it;
  const double fraction = rank - static_cast<double>(lower);
  *end = lower + 1;
  if (fraction == 0 || lower + 1 >= values.size()) return low;
  // The next rank is the smallest value after this one: within the prefix when it extends past
  // this rank (everything after the prefix is no smaller), else anywhere after it.
  const auto next_end = lower_it + 1 < last ? last : values.end();
  const double high = *std::min_element(lower_it + 1, next_end);
  return low + (high - low) * fraction;
}

}  // namespace

Distribution Summarize(std::vector<double>& values) {
  Distribution out;
  out.count = values.size();
  if (values.empty()) return out;
  // Highest rank first: each selection leaves the lower ranks before it, so the next one
  // partitions only that part.
  std::size_t end = values.size();
  out.p90 = SelectQuantile(values, 0.9, &end);
  out.p75 = SelectQuantile(values, 0.75, &end);
  out.median = SelectQuantile(values, 0.5, &end);
  out.mean =
      std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  return out;
}

}  // namespace leadline::engine
