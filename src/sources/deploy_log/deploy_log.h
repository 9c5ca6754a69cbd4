// The deploy log: a plain text list of production deployments for repositories that are not
// tagged per release. One deployment per line:
//
//   <sha> <RFC 3339 time> [success|failure]
//
// The sha may be abbreviated (at least 7 hex digits); the status defaults to success. Blank lines
// and lines starting with '#' are ignored. Pure parsing; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace leadline::sources {

struct DeployLogEntry {
  std::string sha;  // as written (lowercased)
  common::UnixSeconds finished_at = 0;
  bool success = true;
  int line = 0;  // 1-based, for error messages
};

// `name` names the log in error messages ("deploy log 'deploys.txt' line 3: ...").
common::Result<std::vector<DeployLogEntry>> ParseDeployLog(std::string_view text,
                                                           const std::string& name);

common::Result<std::vector<DeployLogEntry>> ReadDeployLogFile(const std::string& path);

}  // namespace leadline::sources
