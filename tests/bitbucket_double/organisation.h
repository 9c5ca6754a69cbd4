// How the repositories of the demo's organisation (CloudWorkspaceShape::organisation) differ from
// one another: each has a pace of its own (from half to three times the configured one), with as
// many pull requests, pipelines and deployments as fit the configured period at that pace; review
// delays of its own; and a home team whose four people open most of its pull requests: checkout
// works on the faster half and reviews promptly, core on the slower half and takes its time. Pure
// functions of the repository's number: the same on every run.
#pragma once

#include "cloud_workspace.h"

namespace leadline::testing {

// The shape of repository repo-`repo` in an organisation, from the configured `base` (its counts,
// pace and start): its own repository number, pace, counts and review delays.
CloudWorkspaceShape OrganisationRepositoryShape(const CloudWorkspaceShape& base, int repo);

// Who opens pull request `number` of repo-`repo`: five in six are of its home team.
Person OrganisationAuthor(int repo, int number);

}  // namespace leadline::testing
