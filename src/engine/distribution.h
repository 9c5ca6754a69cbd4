// Summary statistics of a sample: median, p75, p90 and mean, with the sample size.
// Percentiles interpolate linearly between closest ranks (the common "type 7" definition:
// the median of {1, 2, 3, 4} is 2.5). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace leadline::engine {

struct Distribution {
  std::size_t count = 0;  // the sample size; the other fields are 0 when it is 0
  double median = 0;
  double p75 = 0;
  double p90 = 0;
  double mean = 0;
};

// May reorder `values`. Linear time, not a sort: a small sample by selection (nth_element), a large
// one by counting the high bits of its values and selecting only within the buckets that hold
// the quantiles' ranks. The quantiles are exactly Quantile()'s of the sorted values.
Distribution Summarize(std::vector<double>& values);

// Summarize() of `count` values that add up to `sum`, read by rank: `select` sets out[i] to the
// value of rank ranks[i] (from 0, as if the values were sorted), for ranks ascending. For
// samples kept in a structure that answers by rank (engine/wavelet_matrix.h).
Distribution SummarizeByRank(
    std::size_t count, double sum,
    const std::function<void(std::span<const std::size_t> ranks, std::span<double> out)>& select);

// The p-quantile (0 <= p <= 1) of sorted, non-empty values.
double Quantile(const std::vector<double>& sorted, double p);

// Quantile() of `zeros` zeros followed by `sorted` (sorted values of at least 0; the two not both
// empty), without making that list: a sample of mostly empty buckets costs only its others.
double QuantileAfterZeros(const std::vector<double>& sorted, std::size_t zeros, double p);

}  // namespace leadline::engine
