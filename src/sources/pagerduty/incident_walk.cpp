#include "sources/pagerduty/incident_walk.h"

#include <algorithm>
#include <sstream>

namespace leadline::sources::pagerduty {

using common::Result;
using common::Status;
using common::UnixSeconds;

std::string EncodeWalk(const WalkPosition& position) {
  return "walk " + std::to_string(position.since) + " " + std::to_string(position.until) + " " +
         std::to_string(position.end) + " " + std::to_string(position.offset);
}

Result<WalkPosition> DecodeWalk(const std::string& cursor) {
  std::istringstream in(cursor);
  std::string word;
  WalkPosition position;
  in >> word >> position.since >> position.until >> position.end >> position.offset;
  std::string rest;
  if (!in || word != "walk" || (in >> rest) || position.since >= position.until ||
      position.until > position.end || position.until - position.since > kMaxWindowSeconds ||
      position.offset < 0 || position.offset + kPageSize > kMaxPagedRows) {
    return Status::InvalidArgument("the stored PagerDuty sync cursor '" + cursor +
                                   "' is not one this version writes; run `leadline incidents "
                                   "sync --restart` to walk again from --since");
  }
  return position;
}

WalkPosition StartWalk(UnixSeconds since, UnixSeconds now) {
  if (now <= since) now = since + 1;
  return {since, std::min(now, since + kMaxWindowSeconds), now, 0};
}

Result<std::optional<WalkPosition>> NextPosition(const WalkPosition& at, const Paging& paging,
                                                 std::int64_t last_created_at) {
  if (paging.more) {
    WalkPosition next = at;
    const std::int64_t step = paging.limit > 0 ? paging.limit : kPageSize;
    next.offset = at.offset + step;
    if (next.offset + kPageSize <= kMaxPagedRows) return std::optional<WalkPosition>(next);
    // The paging ends here: the rest of the window starts at the last creation time read.
    if (last_created_at <= at.since) {
      return Status::InvalidArgument("PagerDuty lists more than " + std::to_string(kMaxPagedRows) +
                                     " incidents created in the second " +
                                     common::FormatRfc3339(at.since) +
                                     ", more than its paging can reach");
    }
    return std::optional<WalkPosition>(WalkPosition{last_created_at, at.until, at.end, 0});
  }
  if (at.until >= at.end) return std::optional<WalkPosition>();
  return std::optional<WalkPosition>(
      WalkPosition{at.until, std::min(at.end, at.until + kMaxWindowSeconds), at.end, 0});
}

}  // namespace leadline::sources::pagerduty
