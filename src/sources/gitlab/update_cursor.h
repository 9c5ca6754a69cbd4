// The cursor of a GitLab feed walked by update time: the newest `updated_at` stored, exactly as
// GitLab wrote it ("2026-01-05T10:00:00.123Z"), and the ids of the rows stored with that time.
// Text form: "<time> <id>,<id>,...". Values; thread-compatible.
#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace leadline::sources::gitlab {

struct UpdateCursor {
  std::string time;  // empty: nothing stored yet
  std::set<std::int64_t> ids;

  static UpdateCursor Parse(const std::string& text);
  std::string Format() const;

  // Whether a row updated at `updated_at` is one the cursor already holds.
  bool Holds(const std::string& updated_at, std::int64_t id) const {
    return updated_at == time && ids.count(id) > 0;
  }
  // Moves the cursor past a row just read (times compare as text: GitLab writes them all in one
  // UTC format).
  void Advance(const std::string& updated_at, std::int64_t id);
};

}  // namespace leadline::sources::gitlab
