// One repository's sync through its connector, the one composition the CLI, the server, the
// benchmarks and the tests share: the git mirror and the connector's feeds (feed_runner.h); then
// the commits of squashed pull requests the mirror lacks, where the upstream lists them
// (branch_commits.h: it needs the mirror and the stored pull requests together). Single-threaded
// (feeds fetch a page's details on helpers of their own).
#pragma once

#include "common/status.h"
#include "ingest/sync_target.h"
#include "sources/contract/connector.h"

namespace leadline::ingest {

common::Result<RepositorySyncCounts> SyncRepository(const SyncTarget& target,
                                                    const sources::Connector& connector);

}  // namespace leadline::ingest
