#include "sources/incidentio/incident_walk.h"

#include <sstream>

#include "http/pager.h"
#include "sources/incidentio/incidentio_http.h"

namespace leadline::sources::incidentio {

using common::Result;
using common::Status;
using common::UnixSeconds;

namespace {

// Ids are ULIDs; a cursor word is never longer than this nor holds spaces.
constexpr std::size_t kMaxAfterBytes = 128;

bool IsCursorWord(const std::string& word) {
  if (word.empty() || word.size() > kMaxAfterBytes) return false;
  for (const char c : word) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::string EncodeWalk(const WalkPosition& position) {
  return "walk " + std::to_string(position.since) + " " + std::to_string(position.end) + " " +
         (position.after.empty() ? "-" : position.after);
}

std::string EncodeWalkEnd(UnixSeconds end) { return "after " + std::to_string(end); }

bool IsInsideWalk(const std::string& cursor) { return cursor.starts_with("walk "); }

std::optional<UnixSeconds> DecodeWalkEnd(const std::string& cursor) {
  std::istringstream in(cursor);
  std::string word, rest;
  UnixSeconds end = 0;
  in >> word >> end;
  if (!in || word != "after" || (in >> rest)) return std::nullopt;
  return end;
}

Result<WalkPosition> DecodeWalk(const std::string& cursor) {
  std::istringstream in(cursor);
  std::string word, after, rest;
  WalkPosition position;
  in >> word >> position.since >> position.end >> after;
  if (!in || word != "walk" || (in >> rest) || position.since < 0 ||
      position.since > position.end || !IsCursorWord(after)) {
    return Status::InvalidArgument("the stored incident.io sync cursor '" + cursor +
                                   "' is not one this version writes; run `leadline incidents "
                                   "sync --restart`");
  }
  position.after = after == "-" ? "" : after;
  return position;
}

std::string IncidentsPath(const WalkPosition& position) {
  // The day `since` falls in: the filter takes dates, and reading a little more is harmless.
  const std::string day = common::FormatRfc3339(position.since).substr(0, 10);
  std::string path = "/v2/incidents?page_size=" + std::to_string(kPageSize) +
                     "&sort_by=created_at_oldest_first&" +
                     http::EncodeQueryValue("updated_at[gte]") + "=" + day;
  if (!position.after.empty()) path += "&after=" + http::EncodeQueryValue(position.after);
  return path;
}

Result<std::optional<WalkPosition>> NextPosition(const WalkPosition& at, const std::string& after) {
  if (after.empty()) return std::optional<WalkPosition>();
  if (after == at.after || !IsCursorWord(after) || after == "-") {
    return Status::InvalidArgument("incident.io's incident listing names '" + after.substr(0, 200) +
                                   "' as its next page after '" + at.after +
                                   "': it would never end");
  }
  WalkPosition next = at;
  next.after = after;
  return std::optional<WalkPosition>(next);
}

}  // namespace leadline::sources::incidentio
