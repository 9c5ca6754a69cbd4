#include "app/feedback_preview.h"

#include "app/repositories.h"
#include "app/stored_report.h"
#include "store/store.h"

namespace leadline::app {

common::Result<RenderedFeedback> RenderPullRequestFeedback(
    store::Store& store, const model::Repository& repo, std::int64_t number,
    const config::Settings& settings, const std::string& dashboard_url,
    const std::string& snapshots_dir, common::UnixSeconds now) {
  ReportOptions options;
  ApplySettings(settings.For(repo.location), options);
  options.until = now;
  options.window = engine::kFeedbackMedianWindow;
  options.snapshot_cache_dir = snapshots_dir;
  LEADLINE_ASSIGN_OR_RETURN(const StoredAnalysis analysis, AnalyzeStored(store, repo, options));
  for (const engine::PullRequestStages& pr : analysis.report.pull_requests) {
    if (pr.number != number) continue;
    RenderedFeedback out;
    out.bot = pr.bot;
    if (!dashboard_url.empty()) out.link = dashboard_url + "/?repo=" + repo.location + "#/";
    out.feedback = engine::RenderFeedback(
        pr, analysis.report.stages.value_or(engine::StageSummary()), now, out.link);
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequest> stored,
                              store.LoadPullRequests(repo.id));
    for (const model::PullRequest& candidate : stored) {
      if (candidate.number == number) out.head_commit = candidate.source_commit;
    }
    return out;
  }
  return common::Status::NotFound("no pull request #" + std::to_string(number) + " in " +
                                  repo.location + " (as of its last sync)");
}

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
  LEADLINE_ASSIGN_OR_RETURN(
      RenderedFeedback rendered,
      RenderPullRequestFeedback(*store, *repo, request.number, request.settings,
                                request.dashboard_url, request.paths.snapshots_dir, request.now));
  if (rendered.bot) {
    return common::Status::FailedPrecondition("#" + std::to_string(request.number) + " of " +
                                              repo->location +
                                              " is by a bot: bots' pull requests get nothing");
  }
  return std::move(rendered.feedback);
}

}  // namespace leadline::app
