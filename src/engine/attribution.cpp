#include "engine/attribution.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <queue>

namespace leadline::engine {
namespace {

constexpr std::uint8_t kFromInclude = 1;
constexpr std::uint8_t kFromExclude = 2;
constexpr std::uint8_t kQueued = 4;

// Whether each commit is already in production, for one chain. With a single chain and nothing
// shipped before tracking, `shipped_by` says so and no marks are kept.
struct ChainMarks {
  std::vector<std::uint8_t>* marks = nullptr;  // per commit, nonzero once in the chain

  bool Has(const Attribution& out, CommitIndex c) const {
    return marks != nullptr ? (*marks)[c] != 0 : out.shipped_by[c] != Attribution::kNoDeployment;
  }
  void Add(CommitIndex c) const {
    if (marks != nullptr) (*marks)[c] = 1;
  }
};

// Walks from the deployment's commit over commits its chain has not shipped, marking them, and
// credits those within the lookback. Visits each commit once per chain over the whole pass
// because shipped commits are never entered again.
void MarkFirstShipped(const CommitGraph& graph, CommitIndex tip, std::uint32_t deployment,
                      common::UnixSeconds lookback_start, const ChainMarks& chain, Attribution& out,
                      DeploymentShipment& shipment, std::vector<CommitIndex>& stack) {
  // Marks `c` as shipped by this chain and, when no chain shipped it before, by this deployment.
  auto enter = [&](CommitIndex c) {
    chain.Add(c);
    if (out.shipped_by[c] == Attribution::kNoDeployment) out.shipped_by[c] = deployment;
    stack.push_back(c);
  };
  if (chain.Has(out, tip)) return;
  stack.clear();
  enter(tip);
  while (!stack.empty()) {
    const CommitIndex c = stack.back();
    stack.pop_back();
    if (graph.committer_time(c) >= lookback_start) {
      shipment.credited.push_back(c);
      if (out.shipped_by[c] == deployment) out.credited[c] = true;
    } else {
      ++shipment.beyond_lookback;
    }
    for (CommitIndex p : graph.parents(c)) {
      if (!chain.Has(out, p)) enter(p);
    }
  }
}

// Counts ancestors of `tip` that landed at or after `since` (committer time).
std::uint32_t CountWithinLookback(const CommitGraph& graph, CommitIndex tip,
                                  common::UnixSeconds since, std::vector<std::uint8_t>& scratch) {
  std::vector<CommitIndex> stack{tip};
  std::vector<CommitIndex> touched{tip};
  scratch[tip] = kQueued;
  std::uint32_t count = 0;
  while (!stack.empty()) {
    const CommitIndex c = stack.back();
    stack.pop_back();
    if (graph.committer_time(c) >= since) ++count;
    for (CommitIndex p : graph.parents(c)) {
      if (!scratch[p]) {
        scratch[p] = kQueued;
        touched.push_back(p);
        stack.push_back(p);
      }
    }
  }
  for (CommitIndex c : touched) scratch[c] = 0;
  return count;
}

}  // namespace

void ForEachReachableExcluding(const CommitGraph& graph, CommitIndex include, CommitIndex exclude,
                               std::vector<std::uint8_t>& scratch,
                               const std::function<void(CommitIndex)>& visit) {
  // Newest-first: a commit's children all have larger indices, so when it is popped its flags are
  // final. `live` counts queued commits not reachable from `exclude`; when it reaches zero,
  // nothing left in the queue can add to the count.
  std::priority_queue<CommitIndex> queue;
  std::vector<CommitIndex> touched;
  std::uint32_t live = 0;
  auto enqueue = [&](CommitIndex c, std::uint8_t flag) {
    const bool was_live = scratch[c] & kQueued && !(scratch[c] & kFromExclude);
    if (!(scratch[c] & kQueued)) {
      touched.push_back(c);
      queue.push(c);
    }
    scratch[c] |= flag | kQueued;
    const bool is_live = !(scratch[c] & kFromExclude);
    live += static_cast<std::uint32_t>(is_live) - static_cast<std::uint32_t>(was_live);
  };
  enqueue(include, kFromInclude);
  if (exclude != kNoCommit) enqueue(exclude, kFromExclude);
  while (live > 0) {
    const CommitIndex c = queue.top();
    queue.pop();
    const std::uint8_t flags = scratch[c];
    if (!(flags & kFromExclude)) --live;
    const std::uint8_t inherited = flags & (kFromInclude | kFromExclude);
    if (inherited == kFromInclude) visit(c);
    for (CommitIndex p : graph.parents(c)) enqueue(p, inherited);
  }
  for (CommitIndex c : touched) scratch[c] = 0;
}

std::uint32_t CountReachableExcluding(const CommitGraph& graph, CommitIndex include,
                                      CommitIndex exclude, std::vector<std::uint8_t>& scratch) {
  std::uint32_t count = 0;
  ForEachReachableExcluding(graph, include, exclude, scratch, [&](CommitIndex) { ++count; });
  return count;
}

std::vector<std::uint32_t> CountReachableExcludingEach(const CommitGraph& graph,
                                                       std::span<const ReachPair> pairs) {
  std::vector<std::uint32_t> counts(pairs.size(), 0);
  if (pairs.empty()) return counts;
  // Per commit, bit k of `from_include` (`from_exclude`): the commit is an ancestor of pair k's
  // include (exclude) commit. Indices are topological, so a commit's bits are final when the
  // sweep reaches it, and it hands them to its parents.
  std::vector<std::uint64_t> from_include(graph.size(), 0);
  std::vector<std::uint64_t> from_exclude(graph.size(), 0);
  std::vector<CommitIndex> touched;
  auto counted = [&](CommitIndex c) { return (from_include[c] & ~from_exclude[c]) != 0; };
  for (std::size_t first = 0; first < pairs.size(); first += 64) {
    const std::size_t block = std::min<std::size_t>(64, pairs.size() - first);
    CommitIndex top = 0;
    CommitIndex lowest_include = kNoCommit;
    auto seed = [&](CommitIndex c, std::vector<std::uint64_t>& bits, std::uint64_t bit) {
      if (from_include[c] == 0 && from_exclude[c] == 0) touched.push_back(c);
      bits[c] |= bit;
      top = std::max(top, c);
    };
    for (std::size_t k = 0; k < block; ++k) {
      const ReachPair& pair = pairs[first + k];
      seed(pair.include, from_include, std::uint64_t{1} << k);
      lowest_include = std::min(lowest_include, pair.include);
      if (pair.exclude != kNoCommit) seed(pair.exclude, from_exclude, std::uint64_t{1} << k);
    }
    // `live`: commits below the sweep with a bit of include not (yet) matched by exclude. Once
    // there are none and no include commit is left below, no commit further down can count.
    std::size_t live = 0;
    for (CommitIndex c : touched) live += counted(c);
    for (CommitIndex c = top; live > 0 || c >= lowest_include; --c) {
      const std::uint64_t include = from_include[c];
      const std::uint64_t exclude = from_exclude[c];
      if ((include | exclude) == 0) continue;
      for (std::uint64_t only = include & ~exclude; only != 0; only &= only - 1) {
        ++counts[first + static_cast<std::size_t>(std::countr_zero(only))];
      }
      live -= counted(c);
      for (CommitIndex p : graph.parents(c)) {
        const bool was_counted = counted(p);
        if (from_include[p] == 0 && from_exclude[p] == 0) touched.push_back(p);
        from_include[p] |= include;
        from_exclude[p] |= exclude;
        live += counted(p);
        live -= was_counted;
      }
      if (c == 0) break;
    }
    for (CommitIndex c : touched) from_include[c] = from_exclude[c] = 0;
    touched.clear();
  }
  return counts;
}

Attribution AttributeChanges(const CommitGraph& graph, std::span<const DeploymentPoint> deployments,
                             common::Seconds first_lookback, CommitIndex production_before) {
  Attribution out;
  out.deployments.resize(deployments.size());
  out.shipped_by.assign(graph.size(), Attribution::kNoDeployment);
  out.credited.assign(graph.size(), false);
  std::vector<std::uint8_t> scratch(graph.size(), 0);
  std::vector<CommitIndex> stack;

  std::uint32_t chains = 1;
  for (const DeploymentPoint& point : deployments) chains = std::max(chains, point.chain + 1);
  // Per-chain marks only when `shipped_by` cannot stand in for them.
  std::vector<std::vector<std::uint8_t>> marks;
  if (chains > 1 || production_before != kNoCommit) {
    std::vector<std::uint8_t> before(graph.size(), 0);
    if (production_before != kNoCommit) {
      ForEachReachableExcluding(graph, production_before, kNoCommit, scratch,
                                [&](CommitIndex c) { before[c] = 1; });
    }
    marks.assign(chains, before);
  }
  std::vector<CommitIndex> previous_success(chains, production_before);
  // rev-list NEW ^PREV for every deployment with a PREV, counted together after the pass.
  std::vector<ReachPair> pairs;
  std::vector<std::uint32_t> pair_of;  // the deployment of each pair

  for (std::uint32_t d = 0; d < deployments.size(); ++d) {
    const DeploymentPoint& point = deployments[d];
    DeploymentShipment& shipment = out.deployments[d];
    if (point.commit == kNoCommit) continue;
    CommitIndex& previous = previous_success[point.chain];
    const bool first = previous == kNoCommit;
    const common::UnixSeconds lookback_start =
        first ? point.finished_at - first_lookback
              : std::numeric_limits<common::UnixSeconds>::min();
    shipment.lookback_applied = first;
    if (point.success) {
      const ChainMarks chain{marks.empty() ? nullptr : &marks[point.chain]};
      MarkFirstShipped(graph, point.commit, d, lookback_start, chain, out, shipment, stack);
    }
    if (first && point.success) {
      // Nothing was shipped before: the credited commits are exactly those within the lookback.
      shipment.change_count = static_cast<std::uint32_t>(shipment.credited.size());
    } else if (first) {
      shipment.change_count = CountWithinLookback(graph, point.commit, lookback_start, scratch);
    } else {
      pairs.push_back({point.commit, previous});
      pair_of.push_back(d);
    }
    if (point.success) previous = point.commit;
  }
  const std::vector<std::uint32_t> counts = CountReachableExcludingEach(graph, pairs);
  for (std::size_t k = 0; k < pairs.size(); ++k)
    out.deployments[pair_of[k]].change_count = counts[k];
  return out;
}

}  // namespace leadline::engine
