// A built Snapshot as bytes, so that a repeat report reads one file instead of rebuilding the
// graph from every stored commit (app/snapshot_cache.h keeps the files). The bytes carry a `key`
// (what the snapshot was built from: the store's history version and the hotfix prefixes), a
// format version and a checksum; decoding checks all three and every index in the arrays, so a
// stale, torn or foreign file is refused (NotFound for another key or format, DataLoss-like
// InvalidArgument for damage), never trusted. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "engine/snapshot.h"

namespace leadline::engine {

std::string EncodeSnapshot(const Snapshot& snapshot, std::string_view key);

// NotFound when the bytes were written for another key or by another format; InvalidArgument
// when they are damaged.
common::Result<Snapshot> DecodeSnapshot(std::string_view bytes, std::string_view key);

}  // namespace leadline::engine
