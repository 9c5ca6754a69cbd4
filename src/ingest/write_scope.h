// What a push may write: the repositories of an API token's projects, or every repository (a
// token for every project, the CLI). The pushes check it in the transaction that writes, against
// what is stored then. Values only; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <set>

namespace leadline::ingest {

struct WriteScope {
  // The ids of the repositories it may write; empty optional: every repository.
  std::optional<std::set<std::int64_t>> repositories;

  bool Everything() const { return !repositories; }
  bool MayWrite(std::int64_t repo_id) const {
    return !repositories || repositories->contains(repo_id);
  }
};

}  // namespace leadline::ingest
