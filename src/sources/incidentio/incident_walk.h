// Where an incident.io incident walk stands, as the cursor saved with each page: one listing of
// `GET /v2/incidents` updated since the walk's `since` (by day: the filter takes dates), oldest
// created first, followed by its `after` cursors (an incident id) until a page names none.
// Pure functions; thread-safe.
//
// Cursors: "walk <since> <end> <after>" inside a walk ("-" before its first page),
// "after <end>" once it ended.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "common/time.h"

namespace leadline::sources::incidentio {

inline constexpr std::int64_t kPageSize = 100;

struct WalkPosition {
  common::UnixSeconds since = 0;
  common::UnixSeconds end = 0;  // the walk's `now`
  std::string after;            // "" before the first page

  bool operator==(const WalkPosition&) const = default;
};

std::string EncodeWalk(const WalkPosition& position);
std::string EncodeWalkEnd(common::UnixSeconds end);
bool IsInsideWalk(const std::string& cursor);
std::optional<common::UnixSeconds> DecodeWalkEnd(const std::string& cursor);
// The position of a cursor inside a walk; an error for any other text.
common::Result<WalkPosition> DecodeWalk(const std::string& cursor);

// "/v2/incidents?..." for the page `position` stands at.
std::string IncidentsPath(const WalkPosition& position);

// Where the walk goes after the page read at `at` named `after`: nullopt when it ended; an
// error when the listing names the page it was asked for again (it would never end).
common::Result<std::optional<WalkPosition>> NextPosition(const WalkPosition& at,
                                                         const std::string& after);

}  // namespace leadline::sources::incidentio
