#include "sources/incidentio/incident_walk.h"

#include "http/pager.h"

namespace leadline::sources::incidentio {

using common::Result;

std::string EncodeWalk(const WalkPosition& position) { return EncodeTokenWalk(position); }

Result<WalkPosition> DecodeWalk(const std::string& cursor) {
  return DecodeTokenWalk(cursor, kWalkRules);
}

std::string IncidentsPath(const WalkPosition& position) {
  // The day `since` falls in: the filter takes dates, and reading a little more is harmless.
  const std::string day = common::FormatRfc3339(position.since).substr(0, 10);
  std::string path = "/v2/incidents?page_size=" + std::to_string(kPageSize) +
                     "&sort_by=created_at_oldest_first&" +
                     http::EncodeQueryValue("updated_at[gte]") + "=" + day;
  if (!position.token.empty()) path += "&after=" + http::EncodeQueryValue(position.token);
  return path;
}

Result<std::optional<WalkPosition>> NextPosition(const WalkPosition& at, const std::string& after) {
  return NextTokenWalk(at, after, kWalkRules);
}

}  // namespace leadline::sources::incidentio
