#include "ingest/repository_sync.h"

#include "ingest/bitbucket_dc.h"
#include "ingest/branch_commits.h"
#include "ingest/feed_runner.h"

namespace leadline::ingest {

common::Result<RepositorySyncCounts> SyncRepository(const SyncTarget& target,
                                                    const sources::Connector& connector) {
  const sources::Feeds feeds = connector.RepositoryFeeds(target.settings, target.repository);
  RepositorySyncCounts counts;
  if (!feeds.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(counts, RunRepositoryFeeds(target, feeds));
  } else if (connector.provider() == model::Provider::kBitbucketDataCenter) {
    LEADLINE_ASSIGN_OR_RETURN(counts, SyncDcRepository(target));
  } else {
    LEADLINE_ASSIGN_OR_RETURN(counts.commits, SyncTargetMirror(target));
  }
  if (connector.provider() == model::Provider::kBitbucketCloud) {
    LEADLINE_ASSIGN_OR_RETURN(counts.squashed_commits, ReadSquashedBranchCommits(target));
  }
  return counts;
}

}  // namespace leadline::ingest
