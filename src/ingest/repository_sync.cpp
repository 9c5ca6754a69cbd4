#include "ingest/repository_sync.h"

#include "ingest/branch_commits.h"
#include "ingest/feed_runner.h"

namespace leadline::ingest {

common::Result<RepositorySyncCounts> SyncRepository(const SyncTarget& target,
                                                    const sources::Connector& connector) {
  const sources::Feeds feeds = connector.RepositoryFeeds(target.settings, target.repository);
  LEADLINE_ASSIGN_OR_RETURN(RepositorySyncCounts counts, RunRepositoryFeeds(target, feeds));
  if (connector.provider() == model::Provider::kBitbucketCloud) {
    LEADLINE_ASSIGN_OR_RETURN(counts.squashed_commits, ReadSquashedBranchCommits(target));
  }
  return counts;
}

}  // namespace leadline::ingest
