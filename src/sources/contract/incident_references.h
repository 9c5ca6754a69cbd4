// What an incident tool's own fields say about the change that caused an incident: the
// deployment (a field named "Deployment" or "Release") or the commit (a field named "Commit",
// or a link to a commit on Bitbucket or GitLab anywhere in a field or the incident's text). The
// engine ties an incident that names either by that, before the window rule
// (engine/failure_evidence.h, kNamed and kCommit). One reading for every incident tool, so that
// a field means the same in each; PagerDuty's related change events are read the same way
// (sources/pagerduty/related_change_events.h). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "model/incident.h"

namespace leadline::sources {

// Reads one field of the incident (`name` as the tool shows it, `value` as text): fills
// `incident.deployment` or `incident.commit` where the field names one and nothing before did.
// A commit link names the commit in a field of any name. Values longer than a name or a link can
// be (256 bytes) are left alone.
void ReadIncidentReference(std::string_view name, std::string_view value,
                           model::Incident& incident);

// Whether a field of this name names a deployment or a commit (compared without case), for tools
// that must be asked for each incident's fields: only worth asking where such a field exists.
bool NamesDeploymentOrCommit(std::string_view name);

// The hash of the first link to a commit in `text` ("https://bitbucket.org/acme/api/commits/
// 3f2a9c1", ".../-/commit/<hash>", Data Center's ".../commits/<hash>"), lower-cased; "" when
// there is none. A hash is 7 to 40 hexadecimal digits.
std::string CommitInLinks(std::string_view text);

}  // namespace leadline::sources
