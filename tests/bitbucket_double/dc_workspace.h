// The generated workspace as Bitbucket Data Center (REST 1.0) tells it: the same repositories, pull
// requests, activity and pipelines as cloud_workspace.h, in Data Center's shapes (see
// ../shared/fixtures/captured/bitbucket-dc): epoch-millisecond dates, 40-digit hashes, users as
// participants with a role and a review status, and pipelines as the build statuses CI reports on
// commits. Pure functions of the shape and of the git history, whose commits they name.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cloud_workspace.h"

namespace leadline::testing {

class GitHistory;

// Repository repo-`repo` of project PROJ.
nlohmann::json DcRepository(int repo);
// `web_url` is the server's address with its context path, which links start with.
nlohmann::json DcPullRequest(const CloudWorkspaceShape& shape, const GitHistory& history,
                             const std::string& web_url, int repo, int number);
// A pull request's activities, newest first.
nlohmann::json DcActivities(const CloudWorkspaceShape& shape, const GitHistory& history,
                            int number);

// Each commit's build statuses (one per pipeline that ran on it), newest first. Build statuses
// belong to commits, not to repositories: every repository's pipeline j reports the same one.
std::map<std::string, nlohmann::json> DcBuildStatuses(const CloudWorkspaceShape& shape,
                                                      const GitHistory& history);
// {successful, failed, inProgress, cancelled, unknown}: how many of `statuses` are in each state.
nlohmann::json DcBuildStats(const nlohmann::json& statuses);

}  // namespace leadline::testing
