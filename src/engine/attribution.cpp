#include "engine/attribution.h"

#include <limits>
#include <queue>

namespace leadline::engine {
namespace {

constexpr std::uint8_t kFromInclude = 1;
constexpr std::uint8_t kFromExclude = 2;
constexpr std::uint8_t kQueued = 4;

// Walks from the deployment's commit over commits no earlier deployment shipped, marking them.
// Visits each commit once over the whole pass because shipped commits are never entered again.
void MarkFirstShipped(const CommitGraph& graph, CommitIndex tip, std::uint32_t deployment,
                      common::UnixSeconds lookback_start, Attribution& out,
                      DeploymentShipment& shipment, std::vector<CommitIndex>& stack) {
  if (out.shipped_by[tip] != Attribution::kNoDeployment) return;
  out.shipped_by[tip] = deployment;
  stack.assign(1, tip);
  while (!stack.empty()) {
    const CommitIndex c = stack.back();
    stack.pop_back();
    if (graph.committer_time(c) >= lookback_start) {
      shipment.credited.push_back(c);
      out.credited[c] = true;
    } else {
      ++shipment.beyond_lookback;
    }
    for (CommitIndex p : graph.parents(c)) {
      if (out.shipped_by[p] == Attribution::kNoDeployment) {
        out.shipped_by[p] = deployment;
        stack.push_back(p);
      }
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

Attribution AttributeChanges(const CommitGraph& graph, std::span<const DeploymentPoint> deployments,
                             common::Seconds first_lookback) {
  Attribution out;
  out.deployments.resize(deployments.size());
  out.shipped_by.assign(graph.size(), Attribution::kNoDeployment);
  out.credited.assign(graph.size(), false);
  std::vector<std::uint8_t> scratch(graph.size(), 0);
  std::vector<CommitIndex> stack;
  CommitIndex previous_success = kNoCommit;
  for (std::uint32_t d = 0; d < deployments.size(); ++d) {
    const DeploymentPoint& point = deployments[d];
    DeploymentShipment& shipment = out.deployments[d];
    if (point.commit == kNoCommit) continue;
    const bool first = previous_success == kNoCommit;
    const common::UnixSeconds lookback_start =
        first ? point.finished_at - first_lookback
              : std::numeric_limits<common::UnixSeconds>::min();
    shipment.lookback_applied = first;
    if (point.success) {
      MarkFirstShipped(graph, point.commit, d, lookback_start, out, shipment, stack);
    }
    if (first && point.success) {
      // Nothing was shipped before: the credited commits are exactly those within the lookback.
      shipment.change_count = static_cast<std::uint32_t>(shipment.credited.size());
    } else if (first) {
      shipment.change_count = CountWithinLookback(graph, point.commit, lookback_start, scratch);
    } else {
      shipment.change_count =
          CountReachableExcluding(graph, point.commit, previous_success, scratch);
    }
    if (point.success) previous_success = point.commit;
  }
  return out;
}

}  // namespace leadline::engine
