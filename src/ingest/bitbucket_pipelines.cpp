#include <algorithm>
#include <nlohmann/json.hpp>

#include "http/pager.h"
#include "ingest/bitbucket_cloud.h"
#include "ingest/newest_first_walk.h"
#include "sources/bitbucket/cloud_parse.h"

namespace leadline::ingest {

common::Result<SyncCounts> SyncCloudPipelines(const CloudSyncTarget& target) {
  const auto store_page = [&](const nlohmann::json& values,
                              const std::string& url) -> common::Result<PageRows> {
    std::vector<model::Pipeline> pipelines;
    PageRows rows;
    for (std::size_t i = 0; i < values.size(); ++i) {
      auto pipeline = sources::bitbucket::ParseCloudPipeline(values[i]);
      if (!pipeline.ok()) {
        return pipeline.status().WithContext("pipeline " + std::to_string(i) + " of " +
                                             http::RedactUrl(url));
      }
      const common::UnixSeconds created = pipeline->created_at;
      rows.oldest = i == 0 ? created : std::min(rows.oldest, created);
      rows.newest = std::max(rows.newest, created);
      if (pipeline->state != model::PipelineState::kCompleted) {
        rows.oldest_unfinished = std::min(rows.oldest_unfinished.value_or(created), created);
      }
      pipelines.push_back(std::move(*pipeline));
    }
    rows.received = static_cast<std::int64_t>(pipelines.size());
    LEADLINE_ASSIGN_OR_RETURN(rows.changed,
                              target.store.UpsertPipelines(target.repository.id, pipelines));
    // Deployments are steps of pipelines: a pipeline that is new or changed may have deployed.
    // Saved with the page, so a sync stopped before the deployments still fetches them next time.
    if (rows.changed > 0) {
      LEADLINE_RETURN_IF_ERROR(
          target.store.SaveCursor(target.repository.id, kDeploymentsCursor, kDeploymentsDue));
    }
    return rows;
  };
  const WalkRequest walk{target.repository.id, kPipelinesCursor,
                         CloudRepositoryRequest(target, "/pipelines?pagelen=100&sort=-created_on"),
                         target.since};
  auto walked = WalkNewestFirst(target.store, target.client, walk, store_page, target.on_page);
  if (!walked.ok())
    return walked.status().WithContext("pipelines of " + target.repository.location);
  return walked;
}

}  // namespace leadline::ingest
