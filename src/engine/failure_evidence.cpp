#include "engine/failure_evidence.h"

#include <algorithm>

#include "common/time.h"

namespace leadline::engine {
namespace {

constexpr std::uint32_t kNone = Attribution::kNoDeployment;

// Notes that deployment `restorer` (or kNone) restored `failed`, if it is the earliest so far.
void NoteRestoration(DeploymentOutcome& failed, std::span<const DeploymentPoint> deployments,
                     std::uint32_t restorer) {
  if (restorer == kNone) return;
  const common::UnixSeconds at = deployments[restorer].finished_at;
  if (failed.restored_at && *failed.restored_at <= at) return;
  failed.restored_at = at;
  failed.restored_by = restorer;
  failed.resolved_incident.reset();
}

// Notes that incident `index`'s resolution restored `failed`, if it is the earliest so far.
void NoteResolution(DeploymentOutcome& failed, const IncidentPoint& incident, std::uint32_t index) {
  if (!incident.resolved_at) return;
  if (failed.restored_at && *failed.restored_at <= *incident.resolved_at) return;
  failed.restored_at = incident.resolved_at;
  failed.resolved_incident = index;
  failed.restored_by.reset();
}

void AddRework(DeploymentOutcome& outcome, const std::string& reason) {
  if (std::find(outcome.rework_reasons.begin(), outcome.rework_reasons.end(), reason) ==
      outcome.rework_reasons.end()) {
    outcome.rework_reasons.push_back(reason);
  }
}

// The last deployment finished at or before `t` (only successful ones when `success_only`),
// or kNone. Deployments of unknown commits are skipped.
std::uint32_t LastAtOrBefore(std::span<const DeploymentPoint> deployments, common::UnixSeconds t,
                             bool success_only) {
  auto it = std::upper_bound(
      deployments.begin(), deployments.end(), t,
      [](common::UnixSeconds v, const DeploymentPoint& d) { return v < d.finished_at; });
  while (it != deployments.begin()) {
    --it;
    if ((it->success || !success_only) && it->commit != kNoCommit) {
      return static_cast<std::uint32_t>(it - deployments.begin());
    }
  }
  return kNone;
}

void EvaluateIncidents(std::span<const DeploymentPoint> deployments,
                       std::span<const IncidentPoint> incidents,
                       std::span<const IncidentLink> links,
                       std::vector<DeploymentOutcome>& outcomes) {
  for (std::uint32_t i = 0; i < incidents.size() && i < links.size(); ++i) {
    if (!links[i].deployment) continue;
    const IncidentPoint& incident = incidents[i];
    DeploymentOutcome& failed = outcomes[*links[i].deployment];
    failed.reasons.push_back({FailureKind::kIncident, kNoCommit, kNoCommit, {}, i});
    if (!failed.incident_started || incident.started_at < *failed.incident_started) {
      failed.incident_started = incident.started_at;
    }
    NoteResolution(failed, incident, i);
  }
  // Deployments made while an incident was open: the fix, or work done under it.
  for (std::uint32_t i = 0; i < incidents.size(); ++i) {
    const IncidentPoint& incident = incidents[i];
    auto it = std::lower_bound(
        deployments.begin(), deployments.end(), incident.started_at,
        [](const DeploymentPoint& d, common::UnixSeconds v) { return d.finished_at < v; });
    for (; it != deployments.end(); ++it) {
      if (incident.resolved_at && it->finished_at >= *incident.resolved_at) break;
      const auto d = static_cast<std::uint32_t>(it - deployments.begin());
      const bool caused_it = i < links.size() && links[i].deployment == d;
      if (it->success && !caused_it) AddRework(outcomes[d], "incident");
    }
  }
}

// Whether failed deployment `d` was followed, within `grace`, by a success of the same commit
// in the same chain.
bool RerunGreen(std::span<const DeploymentPoint> deployments, std::uint32_t d,
                common::Seconds grace) {
  for (std::uint32_t next = d + 1; next < deployments.size(); ++next) {
    if (deployments[next].finished_at - deployments[d].finished_at > grace) return false;
    if (deployments[next].success && deployments[next].commit == deployments[d].commit &&
        deployments[next].chain == deployments[d].chain) {
      return true;
    }
  }
  return false;
}

// The next successful deployment of `d`'s chain, or kNone.
std::uint32_t NextSuccess(std::span<const DeploymentPoint> deployments, std::uint32_t d) {
  for (std::uint32_t next = d + 1; next < deployments.size(); ++next) {
    if (deployments[next].success && deployments[next].commit != kNoCommit &&
        deployments[next].chain == deployments[d].chain) {
      return next;
    }
  }
  return kNone;
}

// Whether a revert or hotfix merge counts: on the default branch, or shipped to production
// (a release branch). Unknown default branch: every one counts. Walks the branch once, lazily.
class Evidence {
 public:
  Evidence(const CommitGraph& graph, const Attribution& attribution, CommitIndex default_tip)
      : graph_(graph), attribution_(attribution), default_tip_(default_tip) {}

  bool Counts(CommitIndex c) {
    if (default_tip_ == kNoCommit || attribution_.shipped_by[c] != kNone) return true;
    if (on_branch_.empty()) {
      on_branch_.assign(graph_.size(), false);
      std::vector<std::uint8_t> scratch(graph_.size(), 0);
      ForEachReachableExcluding(graph_, default_tip_, kNoCommit, scratch,
                                [&](CommitIndex b) { on_branch_[b] = true; });
    }
    return on_branch_[c];
  }

 private:
  const CommitGraph& graph_;
  const Attribution& attribution_;
  CommitIndex default_tip_;
  std::vector<bool> on_branch_;  // filled on first need
};

// The snapshot's hotfix merges and the pull requests', one per commit; the pull request's
// (which knows when it was merged) wins.
std::vector<HotfixMerge> AllHotfixes(const Snapshot& snapshot, const BranchEvidence& branches) {
  std::vector<HotfixMerge> all = branches.pull_request_hotfixes;
  for (const HotfixMerge& hotfix : snapshot.hotfix_merges) {
    const bool known = std::any_of(all.begin(), all.end(), [&](const HotfixMerge& other) {
      return other.commit == hotfix.commit;
    });
    if (!known) all.push_back(hotfix);
  }
  std::sort(all.begin(), all.end(),
            [](const HotfixMerge& a, const HotfixMerge& b) { return a.commit < b.commit; });
  return all;
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
    case FailureKind::kIncident:
      return "incident";
  }
  return "unknown";
}

const char* IncidentLinkKindName(IncidentLinkKind kind) {
  switch (kind) {
    case IncidentLinkKind::kNamed:
      return "named";
    case IncidentLinkKind::kCommit:
      return "commit";
    case IncidentLinkKind::kChangeEvent:
      return "change_event";
    case IncidentLinkKind::kWindow:
      return "window";
    case IncidentLinkKind::kNone:
      return "none";
  }
  return "none";
}

std::vector<HotfixMerge> HotfixPullRequests(const CommitGraph& graph,
                                            std::span<const model::PullRequest> pull_requests,
                                            const std::vector<std::string>& prefixes) {
  std::vector<HotfixMerge> out;
  for (const model::PullRequest& pr : pull_requests) {
    if (pr.state != model::PullRequestState::kMerged || !pr.merge_commit) continue;
    const bool hotfix = std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) {
      return !p.empty() && pr.source_branch.starts_with(p);
    });
    const CommitIndex merge = hotfix ? graph.FindByPrefix(*pr.merge_commit) : kNoCommit;
    if (merge != kNoCommit) out.push_back({merge, pr.source_branch, pr.closed_at});
  }
  return out;
}

std::optional<common::Seconds> RecoverySeconds(const DeploymentOutcome& outcome,
                                               common::UnixSeconds finished_at) {
  if (!outcome.failed() || !outcome.restored_at) return std::nullopt;
  const common::UnixSeconds failed_at =
      std::min(finished_at, outcome.incident_started.value_or(finished_at));
  return std::max<common::Seconds>(0, *outcome.restored_at - failed_at);
}

std::vector<IncidentLink> LinkIncidents(std::span<const DeploymentPoint> deployments,
                                        const Attribution& attribution,
                                        std::span<const IncidentPoint> incidents,
                                        const FailureRules& rules) {
  std::vector<IncidentLink> links(incidents.size());
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    const IncidentPoint& incident = incidents[i];
    IncidentLink& link = links[i];
    if (incident.deployment && *incident.deployment < deployments.size()) {
      link = {incident.by_change_event ? IncidentLinkKind::kChangeEvent : IncidentLinkKind::kNamed,
              incident.deployment,
              {}};
    } else if (incident.commit != kNoCommit) {
      const std::uint32_t shipped = attribution.shipped_by[incident.commit];
      if (shipped != kNone) {
        link = {
            incident.by_change_event ? IncidentLinkKind::kChangeEvent : IncidentLinkKind::kCommit,
            shipped,
            {}};
      } else {
        link.not_tied = "the commit it names was shipped by no deployment";
      }
    } else {
      const std::uint32_t last = LastAtOrBefore(deployments, incident.started_at, false);
      if (last == kNone) {
        link.not_tied = "no deployment finished before it began";
      } else if (const common::Seconds gap = incident.started_at - deployments[last].finished_at;
                 gap > rules.incident_window) {
        link.not_tied = "the last deployment before it finished " +
                        common::FormatHumanDuration(gap) +
                        " earlier, beyond the incident window of " +
                        common::FormatHumanDuration(rules.incident_window);
      } else {
        link = {IncidentLinkKind::kWindow, last, {}};
      }
    }
  }
  return links;
}

std::vector<DeploymentOutcome> EvaluateFailures(const Snapshot& snapshot,
                                                std::span<const DeploymentPoint> deployments,
                                                const Attribution& attribution,
                                                const FailureRules& rules,
                                                std::span<const IncidentPoint> incidents,
                                                std::span<const IncidentLink> links,
                                                const BranchEvidence& branches) {
  std::vector<DeploymentOutcome> outcomes(deployments.size());
  const auto& shipped_by = attribution.shipped_by;

  if (rules.count_failed_deployments) {
    for (std::uint32_t d = 0; d < deployments.size(); ++d) {
      const bool failed = deployments[d].success ? deployments[d].failed_in_an_environment
                                                 : !RerunGreen(deployments, d, rules.rerun_grace);
      if (!failed) continue;
      outcomes[d].reasons.push_back({FailureKind::kDeploymentFailed, kNoCommit, kNoCommit, {}});
      NoteRestoration(outcomes[d], deployments, NextSuccess(deployments, d));
    }
  }

  Evidence evidence(snapshot.graph, attribution, branches.default_tip);
  if (rules.count_reverts) {
    for (const RevertFact& revert : snapshot.reverts) {
      const std::uint32_t failed = shipped_by[revert.reverted];
      const std::uint32_t fixer = shipped_by[revert.revert];
      // Reverted before it reached production, shipped together with its revert, older than
      // the first deployment's lookback (in production before tracking began), or reverted on
      // a branch not merged: no failure.
      if (failed == kNone || !attribution.credited[revert.reverted] ||
          (fixer != kNone && fixer <= failed) || !evidence.Counts(revert.revert)) {
        continue;
      }
      outcomes[failed].reasons.push_back(
          {FailureKind::kReverted, revert.revert, revert.reverted, {}});
      NoteRestoration(outcomes[failed], deployments, fixer);
      if (fixer != kNone) AddRework(outcomes[fixer], "revert");
    }
  }

  if (rules.count_hotfixes) {
    for (const HotfixMerge& hotfix : AllHotfixes(snapshot, branches)) {
      if (!evidence.Counts(hotfix.commit)) continue;
      const std::uint32_t fixer = shipped_by[hotfix.commit];
      if (fixer != kNone) AddRework(outcomes[fixer], "hotfix");
      const common::UnixSeconds merged_at =
          hotfix.merged_at.value_or(snapshot.graph.committer_time(hotfix.commit));
      const std::uint32_t failed = LastAtOrBefore(deployments, merged_at, true);
      if (failed == kNone || merged_at - deployments[failed].finished_at > rules.hotfix_window ||
          (fixer != kNone && fixer <= failed)) {
        continue;
      }
      outcomes[failed].reasons.push_back(
          {FailureKind::kHotfix, hotfix.commit, kNoCommit, hotfix.branch});
      NoteRestoration(outcomes[failed], deployments, fixer);
    }
  }

  if (rules.count_incidents) EvaluateIncidents(deployments, incidents, links, outcomes);
  return outcomes;
}

}  // namespace leadline::engine
