// What PagerDuty's related change events (`GET /incidents/{id}/related_change_events`, the
// changes its change correlation relates to an incident) name of the change that caused it.
// Read only for an incident that names neither a deployment nor a commit itself: what an
// incident's own fields or text name beats any change event.
//
// Among the events that began no later than the incident and name something, one Leadline sent
// (`leadline services send-changes`: custom_details.leadline_deployment, the deployment's key,
// and custom_details.commit, its commit; see change_event.h) wins, the newest first; a failed
// deployment's event is passed over, as it changed nothing that stayed. Otherwise the newest
// event of another tool whose links, summary or custom_details name a commit link, or whose
// custom_details name a deployment or a commit the way an incident's fields would
// (sources/contract/incident_references.h). An event without a readable timestamp cannot be
// placed before the incident and is passed over. Pure; thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "common/status.h"
#include "model/incident.h"

namespace leadline::sources::pagerduty {

// Fills `incident.deployment`, `incident.commit` and `incident.named_by` (model::
// kNamedByChangeEvent) from the chosen event of `body`, unless the incident already names a
// deployment or a commit. Returns whether an event named something. An error for a body that is
// not the endpoint's shape (an object whose change_events is a list of objects).
common::Result<bool> ReadRelatedChangeEvents(const nlohmann::json& body, model::Incident& incident);

}  // namespace leadline::sources::pagerduty
