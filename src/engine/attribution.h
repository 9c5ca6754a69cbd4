// Change attribution: which commits each deployment shipped, by the rule of
// reference/dora-metrics.md. Deployments are taken in time order in one pass:
//
//  - change_count of a deployment is |ancestors(NEW) \ ancestors(PREV)|, PREV being the previous
//    successful deployment (git's `rev-list --count NEW ^PREV`), counted for 64 deployments at a
//    time by one sweep down the history that stops as soon as nothing left can count.
//  - a commit is *credited* (gives a lead time) to the first successful deployment whose history
//    contains it. Each commit is visited once over the whole pass, so crediting is O(commits).
//  - the first successful deployment has no PREV: it credits only commits that landed (committer
//    time) within the lookback before it, and is marked so, instead of crediting all history;
//    unless a commit production already ran before it is known (the merge proxy's previous
//    merge), which then stands for PREV.
//  - deployments form chains (one per production environment counted on its own): PREV is the
//    previous successful deployment of the same chain, and each chain credits a commit once, to
//    its own first deployment containing it. `shipped_by` names the first deployment of any chain.
//
// Pure functions over an immutable CommitGraph; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "common/time.h"
#include "engine/commit_graph.h"

namespace leadline::engine {

struct DeploymentPoint {
  CommitIndex commit = kNoCommit;
  common::UnixSeconds finished_at = 0;
  bool success = true;
  std::uint32_t chain = 0;  // deployments of one chain follow each other (see above)
  // A successful release to several production environments that failed in one of them without
  // a successful re-run: it counts as failed.
  bool failed_in_an_environment = false;
};

struct DeploymentShipment {
  // git rev-list --count NEW ^PREV; for the first deployment, the commits within the lookback.
  std::uint32_t change_count = 0;
  // True for the first successful deployment (and failed ones before it): its changes were cut
  // at the lookback.
  bool lookback_applied = false;
  // Commits this deployment first brought to production, credited with a lead time.
  std::vector<CommitIndex> credited;
  // Commits first reached by this deployment but older than the lookback: shipped, not credited.
  std::uint32_t beyond_lookback = 0;
};

struct Attribution {
  std::vector<DeploymentShipment> deployments;  // parallel to the input
  // Per commit: index of the first successful deployment (of any chain) containing it, or
  // kNoDeployment.
  std::vector<std::uint32_t> shipped_by;
  // Per commit: whether it is in the `credited` list of that deployment (false beyond the
  // lookback).
  std::vector<bool> credited;
  static constexpr std::uint32_t kNoDeployment = 0xffffffffu;
};

// `deployments` must be sorted by finished_at (ties in a stable, meaningful order).
// `production_before`, when known, is a commit production ran before the first deployment: what
// it reaches was shipped before tracking began, and every chain's first deployment ships what it
// lacks, with no lookback.
Attribution AttributeChanges(const CommitGraph& graph, std::span<const DeploymentPoint> deployments,
                             common::Seconds first_lookback,
                             CommitIndex production_before = kNoCommit);

// Calls `visit` for each commit of ancestors(include) \ ancestors(exclude), both inclusive, newest
// index first; `exclude` may be kNoCommit. `scratch` must hold graph.size() zero bytes and is
// returned zeroed.
void ForEachReachableExcluding(const CommitGraph& graph, CommitIndex include, CommitIndex exclude,
                               std::vector<std::uint8_t>& scratch,
                               const std::function<void(CommitIndex)>& visit);

// |ancestors(include) \ ancestors(exclude)|, with the same contract.
std::uint32_t CountReachableExcluding(const CommitGraph& graph, CommitIndex include,
                                      CommitIndex exclude, std::vector<std::uint8_t>& scratch);

struct ReachPair {
  CommitIndex include = kNoCommit;
  CommitIndex exclude = kNoCommit;  // may be kNoCommit
};

// For each pair, |ancestors(include) \ ancestors(exclude)|: the same numbers as
// CountReachableExcluding for each pair, computed 64 pairs at a time in one downward sweep over
// the commit indices, with one bit per pair on each side. A single walk must go down to the
// oldest commit its include side holds to prove the exclude side reaches it (a maintenance branch
// forked long ago and merged back takes it through all history since the fork, and the next
// pair's walk takes the same way again); the sweep goes that way once for all 64.
std::vector<std::uint32_t> CountReachableExcludingEach(const CommitGraph& graph,
                                                       std::span<const ReachPair> pairs);

}  // namespace leadline::engine
