#include "ingest/bitbucket_dc.h"

namespace leadline::ingest {

common::Result<RepositorySyncCounts> SyncDcRepository(const SyncTarget& target) {
  RepositorySyncCounts out;
  LEADLINE_ASSIGN_OR_RETURN(out.commits, SyncTargetMirror(target));
  LEADLINE_ASSIGN_OR_RETURN(const DcPullRequestSync pull_requests, SyncDcPullRequests(target));
  out.pull_requests = pull_requests.pull_requests;
  out.activity = pull_requests.activity;
  LEADLINE_ASSIGN_OR_RETURN(out.pipelines, SyncDcBuildStatuses(target));
  return out;
}

}  // namespace leadline::ingest
