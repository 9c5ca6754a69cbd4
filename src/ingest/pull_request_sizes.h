// Merged pull requests' sizes (files and lines changed), read from the repository's git mirror
// after a sync: what each merge or squash commit changed against its first parent, the change
// the pull request brought to its target. Only pull requests without a size are read, so a
// repeat sync reads nothing; a merge commit the mirror does not have (yet) is left for a later
// sync. One transaction: an interrupted run stores nothing and the next one starts over.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/status.h"
#include "store/store.h"

namespace leadline::ingest {

// Returns how many pull requests got their size.
common::Result<std::size_t> SizeMergedPullRequests(store::Store& store, std::int64_t repo_id,
                                                   const std::string& mirror_path);

}  // namespace leadline::ingest
