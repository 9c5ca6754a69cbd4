// Why a deployment failed, when service was restored, and which deployments were rework, from
// git evidence (reference/dora-metrics.md, "Why a deployment failed"):
//   deployment_failed  the deployment itself finished with a failure (unless re-run green within
//                      the grace period);
//   reverted           a later commit reverts a commit this deployment first shipped;
//   hotfix             a hotfix branch was merged within the window after this deployment.
// Service counts as restored by the first successful deployment that ships the revert or the
// hotfix (for deployment_failed: the next successful deployment); with several reasons, the
// earliest restoration wins. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/attribution.h"
#include "engine/snapshot.h"

namespace leadline::engine {

enum class FailureKind { kDeploymentFailed, kReverted, kHotfix };
const char* FailureKindName(FailureKind kind);

struct FailureReason {
  FailureKind kind = FailureKind::kDeploymentFailed;
  CommitIndex evidence = kNoCommit;  // the revert or hotfix merge commit
  CommitIndex reverted = kNoCommit;  // kReverted: the commit undone
  std::string branch;                // kHotfix: the merged branch
};

struct DeploymentOutcome {
  std::vector<FailureReason> reasons;  // empty: not failed
  // Index of the deployment that restored service; nullopt while not restored.
  std::optional<std::uint32_t> restored_by;
  // Rework: this deployment ships a revert of something already in production or a hotfix.
  std::vector<std::string> rework_reasons;

  bool failed() const { return !reasons.empty(); }
  bool rework() const { return !rework_reasons.empty(); }
};

struct FailureRules {
  bool count_failed_deployments = true;
  // A failed deployment followed within this time by a successful one of the same commit (a
  // flaky step re-run green) does not count as failed; 0 counts every failed deployment.
  common::Seconds rerun_grace = 0;
  bool count_reverts = true;
  bool count_hotfixes = true;
  common::Seconds hotfix_window = 24 * common::kHour;
};

std::vector<DeploymentOutcome> EvaluateFailures(const Snapshot& snapshot,
                                                std::span<const DeploymentPoint> deployments,
                                                const Attribution& attribution,
                                                const FailureRules& rules);

}  // namespace leadline::engine
