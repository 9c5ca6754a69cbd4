// Where a local repository's production deployments come from: release tags matching a pattern,
// or a deploy log. Turns either into model::Deployment values with stable natural keys, and says
// clearly why input cannot be used. Pure functions over already-read refs; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/deployment.h"
#include "model/repository.h"
#include "sources/deploy_log/deploy_log.h"

namespace leadline::ingest {

inline constexpr const char* kDefaultDeployTagPattern = "^v?[0-9]+(\\.[0-9]+)*$";

using CommitTimeLookup = std::function<common::Result<common::UnixSeconds>(const std::string& sha)>;

// One deployment per tag whose name matches `pattern` (RE2 syntax, anchored by the pattern itself),
// dated by the annotated tag's time or, for a lightweight tag, by its commit's committer time.
// Fails when the pattern is invalid or matches no tag (naming the tags that exist).
common::Result<std::vector<model::Deployment>> DeploymentsFromTags(
    const std::vector<model::Ref>& refs, const std::string& pattern,
    const CommitTimeLookup& commit_time);

// One deployment per log entry, with `resolved_shas[i]` the full id of entry i's commit. The same
// commit at the same time twice is one deployment.
std::vector<model::Deployment> DeploymentsFromLog(const std::vector<sources::DeployLogEntry>& log,
                                                  const std::vector<std::string>& resolved_shas);

}  // namespace leadline::ingest
