// The query parameters every read endpoint shares, checked against what the caller may see:
//   project=NAME   the project's repositories
//   repo=LOCATION  one repository ("acme/api")
//   team=NAME      pull request figures for a team of leadline.toml
//   window=90d | all, since=RFC3339, until=RFC3339 (default: the 90 days before now)
// A project, repository or team the token may not see answers 404, worded as for one that does
// not exist. A window is bounded (docs/api.md, "Limits") so that no answer costs more than twenty
// years of the data. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/http_types.h"
#include "api/metrics_view.h"
#include "auth/api_tokens.h"
#include "common/status.h"
#include "common/time.h"

namespace leadline::api {

struct ResolvedScope {
  std::vector<const RepositoryView*> repositories;  // visible and selected, by location
  std::optional<std::vector<std::uint32_t>> team;   // PeopleIndex ids
  std::optional<std::string> project, repo, team_name;
};

common::Result<ResolvedScope> ResolveScope(const MetricsView& view,
                                           const auth::Principal& principal,
                                           const HttpRequest& request);

// No window begins before the Unix epoch,
inline constexpr common::UnixSeconds kEarliestSince = 0;
// ends more than a day after now (a clock a little ahead, or a time zone, is not refused),
inline constexpr common::Seconds kLatestUntilAfterNow = common::kDay;
// or, given as `window` or `since` and `until`, lasts more than twenty years. `window=all` lasts
// as long as the scope's deployments, which lie within the two bounds above.
inline constexpr common::Seconds kLongestWindow = 7305 * common::kDay;

// InvalidArgument naming the parameter when a value is malformed, and the limit when it is out of
// bounds.
common::Result<engine::ReportWindow> ResolveWindow(const HttpRequest& request,
                                                   const ResolvedScope& scope,
                                                   common::UnixSeconds now);

}  // namespace leadline::api
