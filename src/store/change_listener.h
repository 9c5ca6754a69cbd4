// Notices from the other processes on the store (Coordination::Announce): on PostgreSQL a
// connection of its own that LISTENs on the notice channel; on SQLite nothing (ListenForChanges
// returns nullptr: a process there finds new work by looking). Not thread-safe: one thread waits.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace leadline::store {

class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
  // Waits up to `timeout` for notices and returns their topics (none when the time ran out). A
  // lost connection is an Unavailable error; the next call connects and listens again.
  virtual common::Result<std::vector<std::string>> Wait(std::chrono::milliseconds timeout) = 0;
};

// nullptr for a store whose engine has no notices (SQLite).
common::Result<std::unique_ptr<ChangeListener>> ListenForChanges(const std::string& url);

}  // namespace leadline::store
