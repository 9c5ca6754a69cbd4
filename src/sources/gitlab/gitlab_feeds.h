// The feeds of one GitLab project (sources/contract/connector.h), each walked by update time:
//  - merge requests (state=all, order_by=updated_at, sort=asc, 100 a page), each with its notes
//    (the review activity: comments, approvals, requests for changes, merges);
//  - pipelines (order_by=updated_at, sort=asc, 100 a page);
//  - deployments (order_by=updated_at, sort=asc, 100 a page), with the project's environments,
//    whose tier says which deployments are production's; asked for only when the pipeline walk
//    stored something new or changed (a deployment is a job of a pipeline), or on a first sync.
// Every request after the first asks for what was updated at or after the newest update stored
// (GitLab's updated_after is inclusive), never by page number, which skips rows that move while
// the walk runs. The cursor keeps that time as GitLab wrote it (milliseconds) and the ids stored
// at it, so rows read again at the boundary are recognised: their details are not fetched again,
// and a page of nothing else ends the walk. A repeat sync of an unchanged project is two requests
// (merge requests, pipelines). Stateless; thread-safe.
#pragma once

#include <string>

#include "sources/contract/connector.h"

namespace leadline::sources::gitlab {

// "<instance>/api/v4/projects/<url-encoded path>": the base of a project's API paths.
std::string ProjectApiUrl(const ConnectionSettings& settings, const model::Repository& project);

Feeds ProjectFeeds(const ConnectionSettings& settings, const model::Repository& project);

}  // namespace leadline::sources::gitlab
