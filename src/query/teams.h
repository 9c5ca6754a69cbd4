// The teams of leadline.toml a caller may know of: those with a member who authored a pull request
// in a repository the caller may see (a team whose people work elsewhere is not named to it), in
// the view's (name) order. The REST API's /v1/teams and GraphQL's teams both list these. Pure
// function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "auth/api_tokens.h"
#include "query/metrics_view.h"

namespace leadline::query {

std::vector<const std::string*> VisibleTeams(const MetricsView& view,
                                             const auth::Principal& principal);

}  // namespace leadline::query
