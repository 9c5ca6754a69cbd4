#include "engine/distribution.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace leadline::engine {

double Quantile(const std::vector<double>& sorted, double p) {
  const double rank = p * static_cast<double>(sorted.size() - 1);
  const std::size_t lower = static_cast<std::size_t>(std::floor(rank));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  const double fraction = rank - static_cast<double>(lower);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
}

Distribution Summarize(std::vector<double>& values) {
  Distribution out;
  out.count = values.size();
  if (values.empty()) return out;
  std::sort(values.begin(), values.end());
  out.median = Quantile(values, 0.5);
  out.p75 = Quantile(values, 0.75);
  out.p90 = Quantile(values, 0.9);
  out.mean =
      std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  return out;
}

}  // namespace leadline::engine
