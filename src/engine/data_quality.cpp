#include "engine/data_quality.h"

#include "engine/attribution.h"

namespace leadline::engine {
namespace {

std::string List(const std::vector<std::string>& items, std::size_t shown = 5) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < shown; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > shown) out += " and " + std::to_string(items.size() - shown) + " more";
  return out;
}

// "P1 (2), P3 (5)".
std::string Counts(const std::map<std::string, std::size_t>& counts) {
  std::vector<std::string> items;
  for (const auto& [name, count] : counts) {
    items.push_back((name.empty() ? "(none)" : name) + " (" + std::to_string(count) + ")");
  }
  return List(items);
}

std::size_t Total(const std::map<std::string, std::size_t>& counts) {
  std::size_t total = 0;
  for (const auto& [name, count] : counts) total += count;
  return total;
}

}  // namespace

std::vector<Finding> CheckDataQuality(const QualityFacts& facts) {
  std::vector<Finding> out;
  if (facts.proxy && facts.provider == model::Provider::kGitLab) {
    out.push_back(
        {"no_production_environment", true,
         facts.environments == 0
             ? "no deployments are recorded, so every merge request merged into " +
                   facts.default_branch + " counts as one (a proxy)"
             : "none of its " + std::to_string(facts.environments) +
                   " environments has the tier production, so merges into " + facts.default_branch +
                   " count as deployments (a proxy)",
         "give the production deploy job `environment: {name: ..., deployment_tier: production}` "
         "in .gitlab-ci.yml (without it GitLab guesses the tier from the environment's name), or "
         "name the environment in production_environments in leadline.toml"});
  } else if (facts.proxy) {
    out.push_back({"no_production_environment", true,
                   facts.environments == 0
                       ? "no deployments are recorded, so every pull request merged into " +
                             facts.default_branch + " counts as one (a proxy)"
                       : "none of its " + std::to_string(facts.environments) +
                             " deployment environments has the type Production, so merges into " +
                             facts.default_branch + " count as deployments (a proxy)",
                   "set the production environment's type to Production in Bitbucket (Repository "
                   "settings > Deployments), or have CI push its deployments to Leadline"});
  }
  if (facts.deployments_in_window < 10) {
    out.push_back({"small_sample", true,
                   "only " + std::to_string(facts.deployments_in_window) +
                       " deployments in the window: medians and rates move a lot with each one",
                   "widen the window (--window 90d or more) before comparing or classifying"});
  }
  if (!facts.bot_like_authors.empty()) {
    out.push_back({"bots_in_lead_time", true,
                   "pull requests by " + List(facts.bot_like_authors) +
                       " count in the lead-time figures, though the names look automated",
                   "add them to the bot patterns so their pull requests are counted apart"});
  }
  if (!facts.off_default_branch.empty()) {
    out.push_back({"deployments_off_default_branch", true,
                   std::to_string(facts.off_default_branch.size()) +
                       " production deployments shipped commits that are not on " +
                       facts.default_branch + ": " + List(facts.off_default_branch),
                   "check that these were meant for production (a release branch is fine; a "
                   "feature branch deployed to production usually is not)"});
  }
  if (facts.first_deployment_in_window) {
    out.push_back({"first_deployment_lookback", false,
                   "the first deployment in history is in the window: it is credited only the "
                   "commits of its lookback, not the whole history before it",
                   "use --lookback to change how far back it credits"});
  }
  if (facts.estimated_pull_requests > 0) {
    out.push_back({"unknown_branch_commits", false,
                   std::to_string(facts.estimated_pull_requests) + " of " +
                       std::to_string(facts.merged_pull_requests) +
                       " merged pull requests were squashed from branches no sync saw, so their "
                       "coding stage is unknown",
                   "sync again: Bitbucket Cloud's sync asks the host for such pull requests' "
                   "commits and Data Center's mirror fetches them; elsewhere, sync more often "
                   "than branches live (a scheduled `leadline sync`), so open branches are "
                   "mirrored before they are squashed and deleted"});
  }
  if (facts.gone_branch_pull_requests > 0) {
    out.push_back({"branch_commits_gone", false,
                   std::to_string(facts.gone_branch_pull_requests) + " of " +
                       std::to_string(facts.merged_pull_requests) +
                       " merged pull requests were squashed from branches no sync saw, and the "
                       "host no longer lists their commits, so their coding stage is unknown",
                   "sync more often than branches live (webhooks with `leadline serve`, or a "
                   "scheduled `leadline sync`), so open branches are mirrored before they are "
                   "squashed and deleted"});
  }
  if (facts.target_unknown_pull_requests > 0) {
    out.push_back({"unknown_target_commits", false,
                   std::to_string(facts.target_unknown_pull_requests) + " of " +
                       std::to_string(facts.merged_pull_requests) +
                       " merged pull requests were merged fast-forward or rebased, and the target "
                       "branch's commit before the merge is not stored (they were synced before "
                       "Leadline read it), so their coding stage is unknown",
                   "nothing to change: pull requests synced from now on keep it (the first "
                   "`leadline sync` after upgrading reads those of its --since period again)"});
  }
  if (facts.every_incident_severity && facts.incident_severities.size() > 1) {
    out.push_back({"unfiltered_incident_severities", true,
                   "incidents of every severity count as failures and in recovery time: " +
                       Counts(facts.incident_severities),
                   "set incident_severities in leadline.toml to those that mean production was "
                   "broken (by default P1, P2, SEV1 and SEV2)"});
  }
  if (!facts.excluded_incident_severities.empty()) {
    out.push_back({"incidents_left_out", false,
                   std::to_string(Total(facts.excluded_incident_severities)) +
                       " incidents are not counted for their severity: " +
                       Counts(facts.excluded_incident_severities),
                   "add a severity to incident_severities in leadline.toml if it means "
                   "production was broken"});
  }
  return out;
}

std::vector<std::string> DeploymentsOffBranch(const CommitGraph& graph, CommitIndex tip,
                                              const std::vector<model::Deployment>& deployments) {
  std::vector<std::string> out;
  if (tip == kNoCommit) return out;
  std::vector<bool> on_branch(graph.size(), false);
  std::vector<std::uint8_t> scratch(graph.size(), 0);
  ForEachReachableExcluding(graph, tip, kNoCommit, scratch,
                            [&](CommitIndex c) { on_branch[c] = true; });
  for (const model::Deployment& deployment : deployments) {
    const CommitIndex c = graph.FindByPrefix(deployment.sha);
    if (c == kNoCommit || on_branch[c]) continue;
    out.push_back(deployment.ref.empty() ? deployment.sha.substr(0, 12) : deployment.ref);
  }
  return out;
}

void CountMergedPullRequest(CommitsUnknown commits_unknown, QualityFacts& facts) {
  ++facts.merged_pull_requests;
  switch (commits_unknown) {
    case CommitsUnknown::kNo:
      break;
    case CommitsUnknown::kBranchNotSeen:
      ++facts.estimated_pull_requests;
      break;
    case CommitsUnknown::kTargetNotRead:
      ++facts.target_unknown_pull_requests;
      break;
    case CommitsUnknown::kBranchGone:
      ++facts.gone_branch_pull_requests;
      break;
  }
}

}  // namespace leadline::engine
