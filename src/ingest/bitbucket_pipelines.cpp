#include <nlohmann/json.hpp>

#include "http/pager.h"
#include "ingest/bitbucket_cloud.h"
#include "ingest/newest_first_walk.h"
#include "ingest/parse_page.h"
#include "sources/bitbucket/cloud_fields.h"
#include "sources/bitbucket/cloud_parse.h"

namespace leadline::ingest {

common::Result<SyncCounts> SyncCloudPipelines(const SyncTarget& target) {
  const auto store_page = [&](const nlohmann::json& values,
                              const std::string& url) -> common::Result<PageRows> {
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Pipeline> pipelines,
                              ParsePage<model::Pipeline>(values, url, "pipeline",
                                                         sources::bitbucket::ParseCloudPipeline));
    PageRows rows;
    // A running pipeline holds the mark back (it finishes on its own); a paused one does not: it
    // waits for a person who may never come, and would make every sync walk back to it.
    for (const model::Pipeline& pipeline : pipelines) {
      rows.Saw(pipeline.created_at, pipeline.state == model::PipelineState::kPending ||
                                        pipeline.state == model::PipelineState::kInProgress);
    }
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
                         CloudListRequest(target, "/pipelines?pagelen=100&sort=-created_on",
                                          sources::bitbucket::kCloudPipelineFields),
                         target.since, http::PageStyle::kBitbucketCloud};
  auto walked = WalkNewestFirst(target.store, target.client, walk, store_page, target.on_page);
  if (!walked.ok())
    return walked.status().WithContext("pipelines of " + target.repository.location);
  return walked;
}

}  // namespace leadline::ingest
