// The query parameters every read endpoint shares, checked against what the caller may see:
//   project=NAME   the project's repositories
//   repo=LOCATION  one repository ("acme/api")
//   team=NAME      pull request figures for a team of leadline.toml
//   window=90d | all, since=RFC3339, until=RFC3339 (default: the 90 days before now)
// A project, repository or team the token may not see answers 404, worded as for one that does
// not exist. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/http_types.h"
#include "api/metrics_view.h"
#include "auth/api_tokens.h"
#include "common/status.h"

namespace leadline::api {

struct ResolvedScope {
  std::vector<const RepositoryView*> repositories;  // visible and selected, by location
  std::optional<std::vector<std::uint32_t>> team;   // PeopleIndex ids
  std::optional<std::string> project, repo, team_name;
};

common::Result<ResolvedScope> ResolveScope(const MetricsView& view,
                                           const auth::Principal& principal,
                                           const HttpRequest& request);

// InvalidArgument naming the parameter when a value is malformed.
common::Result<engine::ReportWindow> ResolveWindow(const HttpRequest& request,
                                                   const ResolvedScope& scope,
                                                   common::UnixSeconds now);

}  // namespace leadline::api
