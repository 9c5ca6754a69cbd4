// A local mirror of a remote repository's branches and tags: a bare repository that `FetchMirror`
// creates on first use and then brings up to date (new objects only; moved refs follow, deleted
// ones go). The refs are kept in one packed-refs file, rewritten whole by each fetch. A fetch may
// also keep other refs the remote advertises (`extra_refs`, e.g. Bitbucket Data Center's
// `refs/pull-requests/*/from`, which outlive the branches of merged pull requests): they are
// mirrored the same way, so later fetches negotiate against them, but GitRepository::ReadRefs
// never lists them as branches or tags. Sync reads
// history from it with GitRepository, which costs two git requests however long the history, where
// the REST API would need a page per 100 commits. An interrupted fetch leaves the mirror as it was:
// refs move (one rename) only after the pack is complete. One fetch of a mirror runs at a time
// (the sync holds the repository's lock): what a killed one left (lock files, a mirror half made)
// is cleared by the next.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace leadline::git {

struct MirrorFetch {
  std::string url;   // git over HTTPS (or file://), without credentials
  std::string path;  // the bare repository; created, with its parent folders, when missing
  // The value of an Authorization header sent with every request; empty for none. Never logged.
  std::string authorization;
  // Told objects received so far and the total, while a pack arrives; may be empty.
  std::function<void(std::uint64_t received, std::uint64_t total)> on_progress;
  // Patterns of further refs to mirror under the same names, each "refs/" and one '*' that
  // matches any text ("refs/pull-requests/*/from"); a pattern without exactly one '*' is refused.
  std::vector<std::string> extra_refs;
};

struct MirrorFetchResult {
  bool created = false;              // this fetch made the mirror
  std::uint64_t received_bytes = 0;  // pack data received (0 when nothing changed)
  std::size_t refs = 0;              // branches and tags the remote has
  std::size_t extra_refs = 0;        // refs the remote has that match MirrorFetch::extra_refs
};

// Errors name the URL and say what to do: refused credentials, an unknown repository, an
// unreachable host or a failed TLS handshake.
common::Result<MirrorFetchResult> FetchMirror(const MirrorFetch& fetch);

}  // namespace leadline::git
