#include "ingest/repository_sync.h"

#include "ingest/branch_commits.h"
#include "ingest/feed_runner.h"

namespace leadline::ingest {

common::Result<RepositorySyncCounts> SyncRepository(const SyncTarget& target,
                                                    const sources::Connector& connector) {
  const sources::Feeds feeds = connector.RepositoryFeeds(target.settings, target.repository);
  LEADLINE_ASSIGN_OR_RETURN(const MirrorSync commits,
                            SyncTargetMirror(target, connector.MirrorRefs()));
  LEADLINE_ASSIGN_OR_RETURN(RepositorySyncCounts counts, RunRepositoryFeeds(target, feeds));
  counts.commits = commits;
  LEADLINE_ASSIGN_OR_RETURN(counts.squashed_commits, ReadSquashedBranchCommits(target, connector));
  return counts;
}

}  // namespace leadline::ingest
