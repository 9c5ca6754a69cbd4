// `leadline store copy`: moves a whole store to another (SQLite to PostgreSQL, typically), every
// table in dependency order with its ids, then verifies it: row counts and an order-independent
// checksum per table, computed the same way on both sides (times as Unix seconds, flags as 0/1).
// Resumable: a table copied before is skipped when its count and checksum already match, and a
// table cut short is continued (rows already there are left as they are). Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace leadline::store {

struct TableCopy {
  std::string table;
  std::int64_t source_rows = 0;
  std::int64_t copied_rows = 0;  // written by this run (0 for a table skipped as already equal)
  std::int64_t destination_rows = 0;
  std::uint64_t source_checksum = 0;
  std::uint64_t destination_checksum = 0;
  bool verified() const {
    return source_rows == destination_rows && source_checksum == destination_checksum;
  }
};

// Copies the store at `from` into the store at `to` (both store URLs). The destination is
// migrated first and must hold no rows that differ from the source's. `progress` is told of each
// table as it is done. Fails on the first error, leaving what was committed (each 1,000 rows are
// one transaction), so that a rerun continues.
common::Result<std::vector<TableCopy>> CopyStore(
    const std::string& from, const std::string& to,
    const std::function<void(const TableCopy&)>& progress = {});

}  // namespace leadline::store
