#include "query/data_quality.h"

namespace leadline::query {
namespace {

bool InWindow(common::UnixSeconds t, const engine::ReportWindow& window) {
  return t >= window.since && t < window.until;
}

}  // namespace

engine::QualityFacts QualityFactsOver(const RepositoryView& repo,
                                      const engine::ReportWindow& window) {
  engine::QualityFacts facts = repo.quality;
  facts.deployments_in_window = 0;
  for (const engine::DeploymentFact& d : repo.facts.deployments) {
    facts.deployments_in_window += InWindow(d.finished_at, window) ? 1 : 0;
  }
  facts.first_deployment_in_window = false;
  for (const engine::DeploymentRow& row : repo.report.deployments) {
    facts.first_deployment_in_window =
        facts.first_deployment_in_window ||
        (row.lookback_applied && InWindow(repo.deployments[row.index].finished_at, window));
  }
  facts.merged_pull_requests = 0;
  facts.estimated_pull_requests = 0;
  facts.target_unknown_pull_requests = 0;
  facts.gone_branch_pull_requests = 0;
  for (const engine::PullRequestFact& pr : repo.facts.pull_requests) {
    if (pr.bot || !InWindow(pr.merged_at, window)) continue;
    engine::CountMergedPullRequest(pr.commits_unknown, facts);
  }
  return facts;
}

std::vector<engine::Finding> FindingsOver(const RepositoryView& repo,
                                          const engine::ReportWindow& window) {
  return engine::CheckDataQuality(QualityFactsOver(repo, window));
}

const char* SeverityName(const engine::Finding& finding) {
  return finding.warning ? "warning" : "note";
}

}  // namespace leadline::query
