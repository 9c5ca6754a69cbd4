#include <nlohmann/json.hpp>
#include <set>

#include "http/pager.h"
#include "ingest/bitbucket_cloud.h"
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

}  // namespace

common::Result<SyncCounts> SyncCloudDeployments(const SyncTarget& target) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Environment> known,
                            target.store.LoadEnvironments(target.repository.id));
  std::set<std::string> known_uuids;
  for (const model::Environment& environment : known) known_uuids.insert(environment.uuid);

  SyncCounts counts;
  bool unknown_environment = false;
  const Status listed = http::ForEachPage(
      target.client, http::PageStyle::kBitbucketCloud,
      CloudListRequest(target, "/deployments?pagelen=100",
                       sources::bitbucket::kCloudDeploymentFields),
      [&](const nlohmann::json& values, const std::string& url) -> Status {
        LEADLINE_ASSIGN_OR_RETURN(
            const std::vector<model::PlatformDeployment> page,
            ParsePage<model::PlatformDeployment>(values, url, "deployment",
                                                 sources::bitbucket::ParseCloudDeployment));
        for (const model::PlatformDeployment& deployment : page) {
          if (deployment.environment_uuid && !known_uuids.contains(*deployment.environment_uuid)) {
            unknown_environment = true;
          }
        }
        // One statement per row inside one transaction: a page lands whole or not at all.
        store::Transaction transaction(target.store);
        LEADLINE_RETURN_IF_ERROR(transaction.Begin());
        LEADLINE_ASSIGN_OR_RETURN(
            const std::int64_t changed,
            target.store.UpsertPlatformDeployments(target.repository.id, page));
        LEADLINE_RETURN_IF_ERROR(transaction.Commit());
        ++counts.pages;
        counts.received += static_cast<std::int64_t>(page.size());
        counts.changed += changed;
        if (target.on_page) target.on_page(counts);
        return Status::Ok();
      });
  if (!listed.ok()) return listed.WithContext("deployments of " + target.repository.location);
  if (unknown_environment) {
    const Status environments = SyncEnvironments(target, counts);
    if (!environments.ok()) {
      return environments.WithContext("environments of " + target.repository.location);
    }
  }
  return counts;
}

}  // namespace leadline::ingest
