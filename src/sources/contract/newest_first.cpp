#include "sources/contract/newest_first.h"

#include <nlohmann/json.hpp>

namespace leadline::sources {

using common::Result;
using common::Status;
using common::UnixSeconds;
using nlohmann::json;

std::string NewestFirstWalk::Serialize(const Cursor& cursor) {
  json out = {{"mark", cursor.mark}};
  if (!cursor.resume_url.empty()) {
    out["floor"] = cursor.floor;
    out["newest"] = cursor.newest;
    out["resume_url"] = cursor.resume_url;
    if (cursor.oldest_unfinished) out["oldest_unfinished"] = *cursor.oldest_unfinished;
  }
  return out.dump();
}

Result<NewestFirstWalk::Cursor> NewestFirstWalk::Parse(const std::string& text,
                                                       const std::string& entity) {
  Cursor cursor;
  if (text.empty()) return cursor;
  const json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  const auto integer = [&](const char* key) {
    return parsed.contains(key) && parsed[key].is_number_integer();
  };
  if (!parsed.is_object() || !integer("mark")) {
    return Status::DatabaseError("the stored sync cursor of " + entity +
                                 " is not readable: " + text);
  }
  cursor.mark = parsed["mark"];
  if (parsed.contains("resume_url") && parsed["resume_url"].is_string() && integer("floor") &&
      integer("newest")) {
    cursor.resume_url = parsed["resume_url"];
    cursor.floor = parsed["floor"];
    cursor.newest = parsed["newest"];
    if (integer("oldest_unfinished")) cursor.oldest_unfinished = parsed["oldest_unfinished"];
  }
  return cursor;
}

Result<std::string> NewestFirstWalk::Start(const std::string& stored) {
  LEADLINE_ASSIGN_OR_RETURN(cursor_, Parse(stored, entity_));
  unordered_ = false;
  previous_oldest_.reset();
  if (cursor_.resume_url.empty()) {
    cursor_.floor = std::max(cursor_.mark, since_);
    cursor_.newest = 0;
    cursor_.oldest_unfinished.reset();
  }
  return cursor_.resume_url;
}

NewestFirstWalk::Step NewestFirstWalk::Next(const PageRows& rows, const std::string& next_url) {
  cursor_.newest = std::max(cursor_.newest, rows.newest);
  if (rows.oldest_unfinished) {
    cursor_.oldest_unfinished = std::min(
        cursor_.oldest_unfinished.value_or(*rows.oldest_unfinished), *rows.oldest_unfinished);
  }
  if (check_order_ && rows.timed > 0) {
    unordered_ =
        unordered_ || rows.out_of_order || (previous_oldest_ && rows.newest > *previous_oldest_);
    previous_oldest_ = rows.oldest;
  }
  // Entries at the floor itself are fetched again: several may share its second.
  const bool reached_floor = !unordered_ && rows.timed > 0 && rows.oldest < cursor_.floor;
  Step step;
  step.done = reached_floor || next_url.empty();
  Cursor saved = cursor_;
  if (step.done) {
    saved = Cursor();
    saved.mark = cursor_.NextMark();
  } else {
    saved.resume_url = next_url;
  }
  step.cursor = Serialize(saved);
  return step;
}

Result<UnixSeconds> NewestFirstWalk::Mark(const std::string& stored, const std::string& entity) {
  LEADLINE_ASSIGN_OR_RETURN(const Cursor cursor, Parse(stored, entity));
  return cursor.mark;
}

}  // namespace leadline::sources
