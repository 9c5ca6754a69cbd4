// `leadline feedback preview`: what Leadline would post on one pull request of a synced
// repository now (engine/pr_feedback.h), from the store alone: its stages so far and its
// repository's medians over the last 90 days. A dry run: nothing is posted or stored.
// Single-threaded; owns what it opens.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/repository_report.h"
#include "config/paths.h"
#include "config/settings.h"
#include "engine/pr_feedback.h"
#include "store/store.h"

namespace leadline::app {

struct FeedbackPreviewRequest {
  config::Paths paths;
  config::Settings settings;
  std::string location;  // "acme/api"
  std::int64_t number = 0;
  // The dashboard's public address; the link is <dashboard_url>/#/pull-requests/... (none when
  // empty).
  std::string dashboard_url;
  common::UnixSeconds now = 0;
};

// What one pull request of `repo` would get now, from the store alone.
struct RenderedFeedback {
  engine::Feedback feedback;
  bool bot = false;         // bots' pull requests get nothing
  std::string head_commit;  // the source branch's tip as the host gave it (may be abbreviated)
  std::string link;         // the dashboard's page, when its address is known
};
// What rendering needs of a repository, read once for any number of its pull requests: its
// analysis over the median window before `now`, and its stored pull requests.
struct FeedbackBasis {
  engine::StageSummary medians;
  std::vector<engine::PullRequestStages> stages;
  std::vector<model::PullRequest> pull_requests;
  common::UnixSeconds now = 0;
};
common::Result<FeedbackBasis> ReadFeedbackBasis(store::Store& store, const model::Repository& repo,
                                                const config::Settings& settings,
                                                const std::string& snapshots_dir,
                                                common::UnixSeconds now);
// NotFound when the basis holds no pull request `number`.
common::Result<RenderedFeedback> RenderFromBasis(const FeedbackBasis& basis,
                                                 const model::Repository& repo, std::int64_t number,
                                                 const std::string& dashboard_url);
// Both at once, for one pull request.
common::Result<RenderedFeedback> RenderPullRequestFeedback(
    store::Store& store, const model::Repository& repo, std::int64_t number,
    const config::Settings& settings, const std::string& dashboard_url,
    const std::string& snapshots_dir, common::UnixSeconds now);

// NotFound for a repository that is not selected or a pull request the store does not hold;
// FailedPrecondition for a bot's pull request (bots get nothing).
common::Result<engine::Feedback> PreviewFeedback(const FeedbackPreviewRequest& request);

}  // namespace leadline::app
