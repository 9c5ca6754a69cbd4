// The own commits of merged pull requests squashed from a branch no sync saw. A squash commit has
// one parent, so only the branch tells when work on the pull request began, and a branch deleted
// on merge before any sync mirrored it leaves its commits out of the mirror. Bitbucket Cloud
// lists a pull request's commits (`GET /pullrequests/{id}/commits`, 100 a page) for as long as
// it keeps them (sources::Connector::PullRequestCommits): this reads them, once per pull request,
// for exactly those merged pull requests whose source commit the mirror lacks (and whose merge
// commit it has), newest merge first, and stores their count, first author time and main author
// (model::BranchCommits). An answer with no commits (or a 404: a deleted fork) is stored too, as
// "the host no longer holds them", and never asked for again.
//
// Bounded: at most `kMaxPullRequestsPerSync` pull requests a sync (the rest wait for the next
// one), at most 10 pages each, and a sync stops asking after `kEmptyAnswersToStop` empty answers
// in a row (a host that keeps no deleted branch's commits), so a first sync of a busy repository
// does not spend the connection's hourly allowance on them. Read after the repository's other
// entities, four requests at a time, and stored 16 pull requests to a transaction, so an
// interrupted sync keeps what it read. Called from one thread; it runs its own helpers.
#pragma once

#include <cstddef>

#include "common/status.h"
#include "ingest/sync_target.h"
#include "sources/contract/connector.h"

namespace leadline::ingest {

inline constexpr std::size_t kMaxPullRequestsPerSync = 250;  // a quarter of Cloud's hour
inline constexpr std::size_t kEmptyAnswersToStop = 20;

// Nothing for an upstream that lists no pull request's commits. Counts: pages are requests,
// received the pull requests read, changed those the host still listed commits for.
common::Result<SyncCounts> ReadSquashedBranchCommits(const SyncTarget& target,
                                                     const sources::Connector& connector);

}  // namespace leadline::ingest
