// Where a PagerDuty incident walk stands, as the cursor saved with each page: `GET /incidents`
// spans at most 6 months between `since` and `until`, and its classic paging stops at
// offset + limit = 10,000, so a walk over any span is a series of windows of at most
// kMaxWindowSeconds, each read by offset in creation order; a window with more than the paging
// allows is narrowed to start at the last creation time read (pages read twice are upserted, never
// duplicated). Pure functions; thread-safe.
//
// Cursors: "walk <window since> <window until> <walk end> <offset>" inside a walk,
// "after <walk end>" once it ended.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "common/time.h"
#include "sources/contract/token_walk.h"
#include "sources/pagerduty/pagerduty_parse.h"

namespace leadline::sources::pagerduty {

inline constexpr common::UnixSeconds kMaxWindowSeconds = 180 * common::kDay;
inline constexpr std::int64_t kPageSize = 100;        // the most `limit` takes
inline constexpr std::int64_t kMaxPagedRows = 10000;  // offset + limit at most

struct WalkPosition {
  common::UnixSeconds since = 0;  // the window, [since, until)
  common::UnixSeconds until = 0;
  common::UnixSeconds end = 0;  // the walk's end: its last window's until
  std::int64_t offset = 0;

  bool operator==(const WalkPosition&) const = default;
};

std::string EncodeWalk(const WalkPosition& position);
// EncodeWalkEnd, IsInsideWalk and DecodeWalkEnd are the shared ones
// (sources/contract/token_walk.h).
// The position of a cursor inside a walk; an error for any other text.
common::Result<WalkPosition> DecodeWalk(const std::string& cursor);

// The first window of a new walk from `since` to `now` (`since` at most `now`).
WalkPosition StartWalk(common::UnixSeconds since, common::UnixSeconds now);

// Where the walk goes after the page read at `at`: the next page of the window, the next
// window, or nullopt when the walk has ended. An error when the paging cannot go on (more than
// kMaxPagedRows incidents created in one second).
common::Result<std::optional<WalkPosition>> NextPosition(const WalkPosition& at,
                                                         const Paging& paging,
                                                         std::int64_t last_created_at);

}  // namespace leadline::sources::pagerduty
