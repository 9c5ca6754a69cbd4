// Builds the engine's Snapshot of one repository from the store: streams every stored commit
// once into a SnapshotBuilder. With a `cache_dir`, the built snapshot is kept there as a file
// (engine/snapshot_file.h: `<repo id>.snapshot`, written to a temporary name and renamed) keyed
// by the store's history version of the repository and the hotfix prefixes, and read back
// instead of rebuilt while both are unchanged; a file that does not match or does not read is
// rebuilt and replaced. A history with no version yet is never cached. Single-threaded per
// call; processes sharing the folder never read a half-written file. The returned Snapshot is
// owned by the caller.
#pragma once

#include <string>
#include <vector>

#include "engine/snapshot.h"
#include "store/store.h"

namespace leadline::app {

common::Result<engine::Snapshot> LoadSnapshot(store::Store& store, std::int64_t repo_id,
                                              const std::vector<std::string>& hotfix_prefixes,
                                              const std::string& cache_dir = "");

}  // namespace leadline::app
