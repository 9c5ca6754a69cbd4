#include "sources/gitlab/update_cursor.h"

#include <charconv>

namespace leadline::sources::gitlab {

UpdateCursor UpdateCursor::Parse(const std::string& text) {
  UpdateCursor cursor;
  const std::size_t space = text.find(' ');
  cursor.time = text.substr(0, space);
  if (space == std::string::npos) return cursor;
  const char* at = text.data() + space + 1;
  const char* end = text.data() + text.size();
  while (at < end) {
    std::int64_t id = 0;
    const auto [next, error] = std::from_chars(at, end, id);
    if (error != std::errc()) break;
    cursor.ids.insert(id);
    at = next + 1;  // past the comma
  }
  return cursor;
}

std::string UpdateCursor::Format() const {
  std::string out = time;
  char separator = ' ';
  for (const std::int64_t id : ids) {
    out += separator;
    out += std::to_string(id);
    separator = ',';
  }
  return out;
}

void UpdateCursor::Advance(const std::string& updated_at, std::int64_t id) {
  if (updated_at > time) {
    time = updated_at;
    ids.clear();
  }
  if (updated_at == time) ids.insert(id);
}

}  // namespace leadline::sources::gitlab
