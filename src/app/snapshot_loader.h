// Builds the engine's Snapshot of one repository from the store: streams every stored commit
// once into a SnapshotBuilder. Single-threaded; the returned Snapshot is owned by the caller.
#pragma once

#include <string>
#include <vector>

#include "engine/snapshot.h"
#include "store/store.h"

namespace leadline::app {

common::Result<engine::Snapshot> LoadSnapshot(store::Store& store, std::int64_t repo_id,
                                              const std::vector<std::string>& hotfix_prefixes);

}  // namespace leadline::app
