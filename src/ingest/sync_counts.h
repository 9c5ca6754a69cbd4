// What a sync of one entity did: pages fetched, rows received, rows new or changed in the store.
#pragma once

#include <cstdint>

namespace leadline::ingest {

struct SyncCounts {
  std::int64_t pages = 0;
  std::int64_t received = 0;  // rows in the answers
  std::int64_t changed = 0;   // rows new or different in the store
  bool skipped = false;       // not read: what it follows has not changed (not summed)

  SyncCounts& operator+=(const SyncCounts& other) {
    pages += other.pages;
    received += other.received;
    changed += other.changed;
    return *this;
  }
};

}  // namespace leadline::ingest
