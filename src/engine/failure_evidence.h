// Why a deployment failed, when service was restored, and which deployments were rework, from
// git evidence (reference/dora-metrics.md, "Why a deployment failed"):
//   deployment_failed  the deployment itself finished with a failure (unless re-run green within
//                      the grace period), or, released to several production environments, failed
//                      in one of them without a successful re-run;
//   reverted           a later commit on the default branch reverts a commit this deployment first
//                      shipped;
//   hotfix             a hotfix branch (read from the merge's message or its pull request's source
//                      branch) was merged into the default branch within the window after this
//                      deployment.
//   incident           an incident linked to this deployment (see LinkIncidents).
// A revert or hotfix merge that neither the default branch nor a production deployment reaches
// (on a branch not merged yet) is no evidence.
// Service counts as restored by the first successful deployment that ships the revert or the
// hotfix (for deployment_failed: the next successful deployment of the same chain), or by the
// linked incident's resolution; with several reasons, the earliest restoration wins. Pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/attribution.h"
#include "engine/snapshot.h"
#include "model/pull_request.h"

namespace leadline::engine {

enum class FailureKind { kDeploymentFailed, kReverted, kHotfix, kIncident };
const char* FailureKindName(FailureKind kind);

struct FailureReason {
  FailureKind kind = FailureKind::kDeploymentFailed;
  CommitIndex evidence = kNoCommit;  // the revert or hotfix merge commit
  CommitIndex reverted = kNoCommit;  // kReverted: the commit undone
  std::string branch;                // kHotfix: the merged branch
  std::uint32_t incident = 0;        // kIncident: index into the incidents evaluated
};

struct DeploymentOutcome {
  std::vector<FailureReason> reasons;  // empty: not failed
  // What restored service, the earliest of: the deployment that shipped the fix (an index) or
  // the resolution of a linked incident (an index into the incidents). All empty while not
  // restored.
  std::optional<std::uint32_t> restored_by;
  std::optional<std::uint32_t> resolved_incident;
  std::optional<common::UnixSeconds> restored_at;
  // The earliest start of a linked incident: when it comes before the deployment finished (an
  // explicit link), recovery is measured from it.
  std::optional<common::UnixSeconds> incident_started;
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
  bool count_incidents = true;
  common::Seconds incident_window = 24 * common::kHour;
};

// An incident counted against this repository (its service maps here and its severity counts),
// with the links its reporter gave, resolved.
struct IncidentPoint {
  std::string id;
  // As the reporter gave them (model::Incident), for the lists of incidents.
  std::string source, service, severity, title;
  common::UnixSeconds started_at = 0;
  std::optional<common::UnixSeconds> acknowledged_at;
  std::optional<common::UnixSeconds> resolved_at;
  std::string link;                         // the tool's page, when given
  std::optional<std::uint32_t> deployment;  // the deployment the reporter named
  CommitIndex commit = kNoCommit;           // the commit the reporter named
  // The deployment or commit came from a change event the tool related to the incident
  // (model::kNamedByChangeEvent), not from the incident itself.
  bool by_change_event = false;
};

// How an incident was tied to the deployment that caused it:
//   kNamed    the reporter named the deployment;
//   kCommit   the reporter named a commit: the deployment that first shipped it;
//   kChangeEvent  as kNamed or kCommit, from a change event the incident tool related to the
//             incident (PagerDuty), read only when the incident itself names neither;
//   kWindow   the last deployment finished at most `incident_window` before the incident began
//             (so also before any later deployment);
//   kNone     none of those: the incident counts for no deployment's failure.
enum class IncidentLinkKind { kNamed, kCommit, kChangeEvent, kWindow, kNone };
const char* IncidentLinkKindName(IncidentLinkKind kind);

struct IncidentLink {
  IncidentLinkKind kind = IncidentLinkKind::kNone;
  std::optional<std::uint32_t> deployment;
  // kNone: why no rule tied it, for people ("no deployment finished before it began").
  std::string not_tied;
};

// What a repository's refs and pull requests tell the evidence rules beyond its commits.
struct BranchEvidence {
  // The default branch's commit; kNoCommit when unknown, and then every revert and hotfix merge
  // in the history counts.
  CommitIndex default_tip = kNoCommit;
  // Hotfix merges read from pull requests' source branches (HotfixPullRequests), beside those
  // the snapshot read from merge messages.
  std::vector<HotfixMerge> pull_request_hotfixes;
};

// The merged pull requests whose source branch starts with one of `prefixes`, by their merge
// commit (abbreviated hashes resolved by prefix) and the host's merge time.
std::vector<HotfixMerge> HotfixPullRequests(const CommitGraph& graph,
                                            std::span<const model::PullRequest> pull_requests,
                                            const std::vector<std::string>& prefixes);

// A failed deployment's recovery time: from its finish, or from a linked incident's start when
// that is earlier, to the restoration. Empty when not failed or not restored yet.
std::optional<common::Seconds> RecoverySeconds(const DeploymentOutcome& outcome,
                                               common::UnixSeconds finished_at);

// One link per incident, in the order given.
std::vector<IncidentLink> LinkIncidents(std::span<const DeploymentPoint> deployments,
                                        const Attribution& attribution,
                                        std::span<const IncidentPoint> incidents,
                                        const FailureRules& rules);

// `links` is parallel to `incidents`. A successful deployment finished while one of the
// incidents was open is rework ("incident").
std::vector<DeploymentOutcome> EvaluateFailures(const Snapshot& snapshot,
                                                std::span<const DeploymentPoint> deployments,
                                                const Attribution& attribution,
                                                const FailureRules& rules,
                                                std::span<const IncidentPoint> incidents = {},
                                                std::span<const IncidentLink> links = {},
                                                const BranchEvidence& branches = {});

}  // namespace leadline::engine
