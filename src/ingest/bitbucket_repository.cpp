#include "ingest/bitbucket_cloud.h"
#include "ingest/branch_commits.h"
#include "ingest/newest_first_walk.h"

namespace leadline::ingest {
namespace {

// Every change to a pull request adds an activity entry and moves the pull request's
// updated_on, so pull requests need asking for only when the newest activity stored is newer
// than the newest pull request stored. (Comparing stored rows, not what this run fetched, keeps
// the answer right after a sync that stopped between the two.)
bool PullRequestsMayHaveChanged(const SyncTarget& target) {
  const auto activity = WalkMark(target.store, target.repository.id, kActivityCursor);
  const auto cursor = target.store.LoadCursor(target.repository.id, kPullRequestsCursor);
  if (!activity.ok() || !cursor.ok() || cursor->empty()) return true;
  const auto pull_requests = common::ParseRfc3339(*cursor);
  return !pull_requests.ok() || *activity > *pull_requests;
}

}  // namespace

common::Result<RepositorySyncCounts> SyncCloudRepository(const SyncTarget& target) {
  RepositorySyncCounts out;
  // Each entity reports its own running totals; the caller hears the repository's.
  const auto entity_target = [&](const SyncCounts& done_before) {
    SyncTarget entity = target;
    if (target.on_page) {
      entity.on_page = [&target, done_before](const SyncCounts& so_far) {
        SyncCounts total = done_before;
        total += so_far;
        target.on_page(total);
      };
    }
    return entity;
  };

  LEADLINE_ASSIGN_OR_RETURN(out.commits, SyncTargetMirror(target));
  LEADLINE_ASSIGN_OR_RETURN(out.activity, SyncCloudActivity(entity_target(out.Total())));
  out.pull_requests_skipped = !PullRequestsMayHaveChanged(target);
  if (!out.pull_requests_skipped) {
    LEADLINE_ASSIGN_OR_RETURN(out.pull_requests, SyncCloudPullRequests(entity_target(out.Total())));
  }
  LEADLINE_ASSIGN_OR_RETURN(out.pipelines, SyncCloudPipelines(entity_target(out.Total())));
  LEADLINE_ASSIGN_OR_RETURN(const std::string deployments,
                            target.store.LoadCursor(target.repository.id, kDeploymentsCursor));
  out.deployments_skipped = deployments == kDeploymentsCurrent;
  if (!out.deployments_skipped) {
    LEADLINE_ASSIGN_OR_RETURN(out.deployments, SyncCloudDeployments(entity_target(out.Total())));
    LEADLINE_RETURN_IF_ERROR(
        target.store.SaveCursor(target.repository.id, kDeploymentsCursor, kDeploymentsCurrent));
  }
  LEADLINE_ASSIGN_OR_RETURN(out.squashed_commits,
                            ReadSquashedBranchCommits(entity_target(out.Total())));
  return out;
}

}  // namespace leadline::ingest
