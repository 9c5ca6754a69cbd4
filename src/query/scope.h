// Which repositories and window a read is about, from plain arguments (the REST API's query
// parameters and GraphQL's field arguments both come here), checked against what the caller may
// see:
//   project   the project's repositories
//   repo      one repository ("acme/api")
//   team      pull request figures for a team of leadline.toml
//   window (90d | all), since, until (RFC 3339; default: the 90 days before now)
// A project, repository or team the caller may not see is NotFound, worded as for one that does
// not exist (a caller limited to some projects sees the teams of query/teams.h). A window is
// bounded (docs/api.md, "Limits") so that no answer costs more than twenty years of the data. Pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/api_tokens.h"
#include "common/status.h"
#include "common/time.h"
#include "query/metrics_view.h"

namespace leadline::query {

struct ScopeArguments {
  std::optional<std::string> project, repo, team;
};

struct ResolvedScope {
  std::vector<const RepositoryView*> repositories;  // visible and selected, by location
  std::optional<std::vector<std::uint32_t>> team;   // PeopleIndex ids
  std::optional<std::string> project, repo, team_name;
};

common::Result<ResolvedScope> ResolveScope(const MetricsView& view,
                                           const auth::Principal& principal,
                                           const ScopeArguments& arguments);

// The projects of the view the caller may see, in the view's order.
std::vector<const model::Project*> VisibleProjects(const MetricsView& view,
                                                   const auth::Principal& principal);

// The projects the caller may see that hold the repository, in the view's order.
std::vector<const model::Project*> ProjectsOf(const MetricsView& view,
                                              const auth::Principal& principal,
                                              std::int64_t repository_id);

// No window begins before the Unix epoch,
inline constexpr common::UnixSeconds kEarliestSince = 0;
// ends more than a day after now (a clock a little ahead, or a time zone, is not refused),
inline constexpr common::Seconds kLatestUntilAfterNow = common::kDay;
// or, given as `window` or `since` and `until`, lasts more than twenty years. `window=all` lasts
// as long as the scope's deployments, which lie within the two bounds above.
inline constexpr common::Seconds kLongestWindow = 7305 * common::kDay;

struct WindowArguments {
  std::optional<std::string> since, until, window;  // as the REST API's parameters
};

// InvalidArgument naming the argument when a value is malformed, and the limit when it is out of
// bounds.
common::Result<engine::ReportWindow> ResolveWindow(const WindowArguments& arguments,
                                                   const ResolvedScope& scope,
                                                   common::UnixSeconds now);

}  // namespace leadline::query
