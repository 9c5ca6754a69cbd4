#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "http/pager.h"
#include "ingest/bitbucket_cloud.h"
#include "ingest/newest_first_walk.h"
#include "ingest/parse_page.h"
#include "sources/bitbucket/cloud_fields.h"
#include "sources/bitbucket/cloud_parse.h"

namespace leadline::ingest {
namespace {

using common::Status;

// Fetches the repository's environments (a handful: one page) and stores them.
Status SyncEnvironments(const SyncTarget& target, SyncCounts& counts) {
  std::vector<model::Environment> environments;
  const Status listed = http::ForEachPage(
      target.client, http::PageStyle::kBitbucketCloud,
      CloudListRequest(target, "/environments?pagelen=100",
                       sources::bitbucket::kCloudEnvironmentFields),
      [&](const nlohmann::json& values, const std::string& url) -> Status {
        ++counts.pages;
        LEADLINE_ASSIGN_OR_RETURN(
            std::vector<model::Environment> page,
            ParsePage<model::Environment>(values, url, "environment",
                                          sources::bitbucket::ParseCloudEnvironment));
        environments.insert(environments.end(), page.begin(), page.end());
        return Status::Ok();
      });
  LEADLINE_RETURN_IF_ERROR(listed);
  return target.store.UpsertEnvironments(target.repository.id, environments);
}

// What the deployments of a sync need to know of the repository: its environments, and the
// branch each stored pipeline ran on.
struct Known {
  std::set<std::string> environments;
  std::map<std::string, std::string> pipeline_branches;  // pipeline uuid -> branch
};

common::Result<Known> LoadKnown(const SyncTarget& target) {
  Known known;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Environment> environments,
                            target.store.LoadEnvironments(target.repository.id));
  for (const model::Environment& environment : environments) {
    known.environments.insert(environment.uuid);
  }
  // Deployments are steps of pipelines, which the sync stored before it asks for deployments.
  // A pipeline on a tag (or a bare commit) gives its deployments no branch.
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Pipeline> pipelines,
                            target.store.LoadPipelines(target.repository.id));
  for (const model::Pipeline& pipeline : pipelines) {
    if (!pipeline.ref_name.empty() &&
        (pipeline.ref_type == "branch" || pipeline.ref_type == "named_branch")) {
      known.pipeline_branches.emplace(pipeline.uuid, pipeline.ref_name);
    }
  }
  return known;
}

// Parses a page of deployments, gives each the branch of its pipeline, stores them, and notes
// whether one names an environment not in `known`.
common::Result<PageRows> StoreDeployments(const SyncTarget& target, const Known& known,
                                          const nlohmann::json& values, const std::string& url,
                                          bool& unknown_environment) {
  LEADLINE_ASSIGN_OR_RETURN(
      std::vector<model::PlatformDeployment> page,
      ParsePage<model::PlatformDeployment>(values, url, "deployment",
                                           sources::bitbucket::ParseCloudDeployment));
  for (model::PlatformDeployment& deployment : page) {
    if (!deployment.pipeline_uuid) continue;
    const auto branch = known.pipeline_branches.find(*deployment.pipeline_uuid);
    if (branch != known.pipeline_branches.end()) deployment.branch = branch->second;
  }
  PageRows rows;
  for (const model::PlatformDeployment& deployment : page) {
    if (deployment.environment_uuid && !known.environments.contains(*deployment.environment_uuid)) {
      unknown_environment = true;
    }
    // A deployment in progress holds the walk's mark back; one not started (a manual step no one
    // triggered: UNDEPLOYED) has no place in the order until it starts, and then moves to the
    // head of the list.
    if (deployment.started_at) {
      rows.Saw(*deployment.started_at,
               deployment.state == model::PlatformDeploymentState::kInProgress ||
                   deployment.state == model::PlatformDeploymentState::kPending);
    } else {
      rows.SawUntimed();
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(rows.changed,
                            target.store.UpsertPlatformDeployments(target.repository.id, page));
  return rows;
}

// The whole list in the host's own order, for a host that refuses the sort.
common::Result<SyncCounts> ReadWholeList(const SyncTarget& target, const Known& known,
                                         bool& unknown_environment) {
  SyncCounts counts;
  const Status listed = http::ForEachPage(
      target.client, http::PageStyle::kBitbucketCloud,
      CloudListRequest(target, "/deployments?pagelen=100",
                       sources::bitbucket::kCloudDeploymentFields),
      [&](const nlohmann::json& values, const std::string& url) -> Status {
        store::Transaction transaction(target.store);
        LEADLINE_RETURN_IF_ERROR(transaction.Begin());
        LEADLINE_ASSIGN_OR_RETURN(
            const PageRows rows, StoreDeployments(target, known, values, url, unknown_environment));
        LEADLINE_RETURN_IF_ERROR(transaction.Commit());
        ++counts.pages;
        counts.received += rows.received;
        counts.changed += rows.changed;
        if (target.on_page) target.on_page(counts);
        return Status::Ok();
      });
  LEADLINE_RETURN_IF_ERROR(listed);
  return counts;
}

}  // namespace

// Newest start first (`sort=-state.started_on`), down to the last walk's mark: after one new
// pipeline, one page. Bitbucket's spec lists no sort for deployments; its own clients send this
// one, and the walk checks the order it gets (a host that ignores the sort is read to the end; one
// that refuses it is read whole, unsorted, as before).
common::Result<SyncCounts> SyncCloudDeployments(const SyncTarget& target) {
  LEADLINE_ASSIGN_OR_RETURN(const Known known, LoadKnown(target));

  bool unknown_environment = false;
  const auto store_page = [&](const nlohmann::json& values,
                              const std::string& url) -> common::Result<PageRows> {
    return StoreDeployments(target, known, values, url, unknown_environment);
  };
  WalkRequest walk{target.repository.id, kDeploymentListCursor,
                   CloudListRequest(target, "/deployments?pagelen=100&sort=-state.started_on",
                                    sources::bitbucket::kCloudDeploymentFields),
                   0, http::PageStyle::kBitbucketCloud};
  walk.check_order = true;
  // Every deployment, whatever `since` says: the first one in the window needs the one before.
  auto counts = WalkNewestFirst(target.store, target.client, walk, store_page, target.on_page);
  if (!counts.ok() && counts.status().code() == common::StatusCode::kFailedPrecondition) {
    counts = ReadWholeList(target, known, unknown_environment);
  }
  if (!counts.ok()) {
    return counts.status().WithContext("deployments of " + target.repository.location);
  }
  if (unknown_environment) {
    const Status environments = SyncEnvironments(target, *counts);
    if (!environments.ok()) {
      return environments.WithContext("environments of " + target.repository.location);
    }
  }
  return counts;
}

}  // namespace leadline::ingest
