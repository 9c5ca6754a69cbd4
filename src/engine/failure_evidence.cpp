#include "engine/failure_evidence.h"

#include <algorithm>

namespace leadline::engine {
namespace {

constexpr std::uint32_t kNone = Attribution::kNoDeployment;

// Notes that `restorer` (a deployment index or kNone) restored `failed` if it is the earliest.
void NoteRestoration(DeploymentOutcome& failed, std::uint32_t restorer) {
  if (restorer == kNone) return;
  if (!failed.restored_by || restorer < *failed.restored_by) failed.restored_by = restorer;
}

void AddRework(DeploymentOutcome& outcome, const std::string& reason) {
  if (std::find(outcome.rework_reasons.begin(), outcome.rework_reasons.end(), reason) ==
      outcome.rework_reasons.end()) {
    outcome.rework_reasons.push_back(reason);
  }
}

// The last successful deployment finished at or before `t`, or kNone.
std::uint32_t LastSuccessAtOrBefore(std::span<const DeploymentPoint> deployments,
                                    common::UnixSeconds t) {
  auto it = std::upper_bound(
      deployments.begin(), deployments.end(), t,
      [](common::UnixSeconds v, const DeploymentPoint& d) { return v < d.finished_at; });
  while (it != deployments.begin()) {
    --it;
    if (it->success && it->commit != kNoCommit) {
      return static_cast<std::uint32_t>(it - deployments.begin());
    }
  }
  return kNone;
}

// Whether failed deployment `d` was followed, within `grace`, by a success of the same commit.
bool RerunGreen(std::span<const DeploymentPoint> deployments, std::uint32_t d,
                common::Seconds grace) {
  for (std::uint32_t next = d + 1; next < deployments.size(); ++next) {
    if (deployments[next].finished_at - deployments[d].finished_at > grace) return false;
    if (deployments[next].success && deployments[next].commit == deployments[d].commit) {
      return true;
    }
  }
  return false;
}

}  // namespace

const char* FailureKindName(FailureKind kind) {
  switch (kind) {
    case FailureKind::kDeploymentFailed:
      return "deployment_failed";
    case FailureKind::kReverted:
      return "reverted";
    case FailureKind::kHotfix:
      return "hotfix";
  }
  return "unknown";
}

std::vector<DeploymentOutcome> EvaluateFailures(const Snapshot& snapshot,
                                                std::span<const DeploymentPoint> deployments,
                                                const Attribution& attribution,
                                                const FailureRules& rules) {
  std::vector<DeploymentOutcome> outcomes(deployments.size());
  const auto& shipped_by = attribution.shipped_by;

  if (rules.count_failed_deployments) {
    for (std::uint32_t d = 0; d < deployments.size(); ++d) {
      if (deployments[d].success || RerunGreen(deployments, d, rules.rerun_grace)) continue;
      outcomes[d].reasons.push_back({FailureKind::kDeploymentFailed, kNoCommit, kNoCommit, {}});
      for (std::uint32_t next = d + 1; next < deployments.size(); ++next) {
        if (deployments[next].success && deployments[next].commit != kNoCommit) {
          NoteRestoration(outcomes[d], next);
          break;
        }
      }
    }
  }

  if (rules.count_reverts) {
    for (const RevertFact& revert : snapshot.reverts) {
      const std::uint32_t failed = shipped_by[revert.reverted];
      const std::uint32_t fixer = shipped_by[revert.revert];
      // Reverted before it reached production, shipped together with its revert, or older than
      // the first deployment's lookback (in production before tracking began): no failure.
      if (failed == kNone || !attribution.credited[revert.reverted] ||
          (fixer != kNone && fixer <= failed)) {
        continue;
      }
      outcomes[failed].reasons.push_back(
          {FailureKind::kReverted, revert.revert, revert.reverted, {}});
      NoteRestoration(outcomes[failed], fixer);
      if (fixer != kNone) AddRework(outcomes[fixer], "revert");
    }
  }

  if (rules.count_hotfixes) {
    for (const HotfixMerge& hotfix : snapshot.hotfix_merges) {
      const std::uint32_t fixer = shipped_by[hotfix.commit];
      if (fixer != kNone) AddRework(outcomes[fixer], "hotfix");
      const common::UnixSeconds merged_at = snapshot.graph.committer_time(hotfix.commit);
      const std::uint32_t failed = LastSuccessAtOrBefore(deployments, merged_at);
      if (failed == kNone || merged_at - deployments[failed].finished_at > rules.hotfix_window ||
          (fixer != kNone && fixer <= failed)) {
        continue;
      }
      outcomes[failed].reasons.push_back(
          {FailureKind::kHotfix, hotfix.commit, kNoCommit, hotfix.branch});
      NoteRestoration(outcomes[failed], fixer);
    }
  }
  return outcomes;
}

}  // namespace leadline::engine
