// Incidents an incident tool pushes, applied to the store under the writer's scope. An incident
// is keyed by its source and the source's id ("api", "INC-42"). A push may create or change an
// incident only when the writer may write every connected repository its link names (engine's
// NamesRepository), both the link it sends and the one stored: it can neither reach into another
// project's incident nor move one out of it. An incident given by service alone maps to
// repositories through settings, so only a writer of every repository may send or change one.
// Used by `POST /v1/incidents`. Single-threaded per store.
#pragma once

#include <cstddef>
#include <vector>

#include "ingest/write_scope.h"
#include "model/incident.h"
#include "store/store.h"

namespace leadline::ingest {

struct IncidentPush {
  std::size_t read = 0;     // incidents given
  std::size_t changed = 0;  // new, or different from what was stored
};

// Stores `incidents`, all or none, checking each in the transaction that writes them:
//  - NotFound "no repository '<link>'" when its link names no connected repository, or one
//    outside `scope` (alike);
//  - PermissionDenied when `scope` is not everything and it names no repository;
//  - NotFound "no incident '<id>' in the token's projects" when a stored incident of that source
//    and id is outside `scope`: its link names a repository outside it, none that is connected,
//    or none at all.
common::Result<IncidentPush> StorePushedIncidents(store::Store& store,
                                                  const std::vector<model::Incident>& incidents,
                                                  const WriteScope& scope);

}  // namespace leadline::ingest
