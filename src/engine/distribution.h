// Summary statistics of a sample: median, p75, p90 and mean, with the sample size.
// Percentiles interpolate linearly between closest ranks (the common "type 7" definition:
// the median of {1, 2, 3, 4} is 2.5). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <vector>

namespace leadline::engine {

struct Distribution {
  std::size_t count = 0;  // the sample size; the other fields are 0 when it is 0
  double median = 0;
  double p75 = 0;
  double p90 = 0;
  double mean = 0;
};

// Reorders `values` (a selection, not a full sort: linear time).
Distribution Summarize(std::vector<double>& values);

// The p-quantile (0 <= p <= 1) of sorted, non-empty values.
double Quantile(const std::vector<double>& sorted, double p);

// Quantile() of `zeros` zeros followed by `sorted` (sorted values of at least 0; the two not both
// empty), without making that list: a sample of mostly empty buckets costs only its others.
double QuantileAfterZeros(const std::vector<double>& sorted, std::size_t zeros, double p);

}  // namespace leadline::engine
