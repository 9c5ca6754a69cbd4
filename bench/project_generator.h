// A synthetic project for the metric benchmarks, written into a Leadline store through the
// Store API, in the shapes a Bitbucket Cloud sync leaves: per repository, a main line where every
// pull request's branch (its commits authored over the hours before it was opened) is merged
// with a merge commit; pull requests with a comment and an approval; production and staging
// deployments of merges, a few of them failed; and incidents on the repository's service, most
// of the severities that count.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "common/time.h"

namespace leadline::bench {

struct ProjectShape {
  int repositories = 20;
  int pull_requests_per_repository = 5000;
  int commits_per_pull_request = 9;  // plus the merge commit
  int deployments_per_repository = 1000;
  int incidents_per_repository = 100;
  int people = 60;
  common::UnixSeconds end = 1767225600;  // 2026-01-01T00:00:00Z
  int days = 730;
};

// Sets the field a command-line flag names (--repositories, --pull-requests, --deployments,
// --incidents, --days); false when `flag` is none of them.
bool ApplyShapeFlag(const std::string& flag, const char* value, ProjectShape& shape);

// Fills the (empty) store at `db_path`; repositories are "bench/repo-NN".
common::Status GenerateProject(const std::string& db_path, const ProjectShape& shape);

}  // namespace leadline::bench
