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
#include "sources/contract/token_walk.h"

namespace leadline::sources::incidentio {

inline constexpr std::int64_t kPageSize = 100;
// Ids are ULIDs; an `after` cursor is never longer than this.
inline constexpr TokenRules kWalkRules{"incident.io", 128};

// The walk's token is the `after` cursor. EncodeWalkEnd, IsInsideWalk and DecodeWalkEnd are the
// shared ones (sources/contract/token_walk.h).
using WalkPosition = TokenWalk;

std::string EncodeWalk(const WalkPosition& position);
// The position of a cursor inside a walk; an error for any other text.
common::Result<WalkPosition> DecodeWalk(const std::string& cursor);

// "/v2/incidents?..." for the page `position` stands at.
std::string IncidentsPath(const WalkPosition& position);

// Where the walk goes after the page read at `at` named `after`: nullopt when it ended; an
// error when the listing names the page it was asked for again (it would never end).
common::Result<std::optional<WalkPosition>> NextPosition(const WalkPosition& at,
                                                         const std::string& after);

}  // namespace leadline::sources::incidentio
