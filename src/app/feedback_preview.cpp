#include "app/feedback_preview.h"

#include "app/repositories.h"
#include "app/stored_report.h"
#include "store/store.h"

namespace leadline::app {

common::Result<FeedbackBasis> ReadFeedbackBasis(store::Store& store, const model::Repository& repo,
                                                const config::Settings& settings,
                                                const std::string& snapshots_dir,
                                                common::UnixSeconds now) {
  ReportOptions options;
  ApplySettings(settings.For(repo.location), options);
  options.until = now;
  options.window = engine::kFeedbackMedianWindow;
  options.snapshot_cache_dir = snapshots_dir;
  LEADLINE_ASSIGN_OR_RETURN(StoredAnalysis analysis, AnalyzeStored(store, repo, options));
  FeedbackBasis basis;
  basis.medians = analysis.report.stages.value_or(engine::StageSummary());
  basis.stages = std::move(analysis.report.pull_requests);
  LEADLINE_ASSIGN_OR_RETURN(basis.pull_requests, store.pull_requests().LoadPullRequests(repo.id));
  basis.now = now;
  return basis;
}

common::Result<RenderedFeedback> RenderFromBasis(const FeedbackBasis& basis,
                                                 const model::Repository& repo, std::int64_t number,
                                                 const std::string& dashboard_url) {
  for (const engine::PullRequestStages& pr : basis.stages) {
    if (pr.number != number) continue;
    RenderedFeedback out;
    out.bot = pr.bot;
    if (!dashboard_url.empty()) out.link = dashboard_url + "/?repo=" + repo.location + "#/";
    out.feedback = engine::RenderFeedback(pr, basis.medians, basis.now, out.link);
    for (const model::PullRequest& stored : basis.pull_requests) {
      if (stored.number == number) out.head_commit = stored.source_commit;
    }
    return out;
  }
  return common::Status::NotFound("no pull request #" + std::to_string(number) + " in " +
                                  repo.location + " (as of its last sync)");
}

common::Result<RenderedFeedback> RenderPullRequestFeedback(
    store::Store& store, const model::Repository& repo, std::int64_t number,
    const config::Settings& settings, const std::string& dashboard_url,
    const std::string& snapshots_dir, common::UnixSeconds now) {
  LEADLINE_ASSIGN_OR_RETURN(const FeedbackBasis basis,
                            ReadFeedbackBasis(store, repo, settings, snapshots_dir, now));
  return RenderFromBasis(basis, repo, number, dashboard_url);
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
