#include "app/feedback_preview.h"

#include "app/repositories.h"
#include "app/stored_report.h"
#include "store/store.h"

namespace leadline::app {

common::Result<engine::Feedback> PreviewFeedback(const FeedbackPreviewRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                            store::OpenStore(request.paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> selected,
                            SelectedRepositories(*store, ""));
  const model::Repository* repo = nullptr;
  for (const model::Repository& candidate : selected) {
    if (candidate.location == request.location) repo = &candidate;
  }
  if (repo == nullptr) {
    return common::Status::NotFound("no selected repository '" + request.location +
                                    "' (`leadline repos list` shows them)");
  }
  ReportOptions options;
  ApplySettings(request.settings.For(repo->location), options);
  options.until = request.now;
  options.window = engine::kFeedbackMedianWindow;
  options.snapshot_cache_dir = request.paths.snapshots_dir;
  LEADLINE_ASSIGN_OR_RETURN(const StoredAnalysis analysis, AnalyzeStored(*store, *repo, options));
  for (const engine::PullRequestStages& pr : analysis.report.pull_requests) {
    if (pr.number != request.number) continue;
    if (pr.bot) {
      return common::Status::FailedPrecondition("#" + std::to_string(pr.number) + " of " +
                                                repo->location +
                                                " is by a bot: bots' pull requests get nothing");
    }
    std::string link;
    if (!request.dashboard_url.empty()) {
      link = request.dashboard_url + "/?repo=" + repo->location + "#/";
    }
    return engine::RenderFeedback(pr, analysis.report.stages.value_or(engine::StageSummary()),
                                  request.now, link);
  }
  return common::Status::NotFound("no pull request #" + std::to_string(request.number) + " in " +
                                  repo->location + " (as of its last sync)");
}

}  // namespace leadline::app
