#include "app/repository_report.h"

namespace leadline::app {

void ApplySettings(const config::RepositorySettings& settings, ReportOptions& options) {
  options.hotfix_prefixes = settings.hotfix_prefixes;
  options.stages = settings.stages;
  options.analysis.failure_rules = settings.failure_rules;
  options.analysis.first_lookback = settings.first_lookback;
  options.analysis.releases = settings.releases;
  options.production_environments = settings.production_environments;
  options.incidents = settings.incidents;
}

engine::CommitIndex BranchTip(const engine::CommitGraph& graph, const std::vector<model::Ref>& refs,
                              const std::string& branch) {
  for (const model::Ref& ref : refs) {
    if (ref.kind == model::RefKind::kBranch && ref.name == branch) {
      return graph.FindByPrefix(ref.target_sha);
    }
  }
  return engine::kNoCommit;
}

engine::ReportWindow ResolveWindow(const ReportOptions& options,
                                   const std::vector<model::Deployment>& deployments) {
  engine::ReportWindow window;
  window.until = options.until.value_or(common::NowUnixSeconds());
  if (options.since) {
    window.since = *options.since;
  } else if (options.window) {
    window.since = window.until - *options.window;
  } else {
    window.since = deployments.empty() ? window.until : deployments.front().finished_at;
  }
  return window;
}

}  // namespace leadline::app
