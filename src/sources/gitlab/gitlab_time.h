// GitLab's two ways of writing an instant: the REST API's ISO 8601 UTC with milliseconds
// ("2017-04-29T08:46:00.000Z") and the webhooks' "2025-01-02 03:04:05 UTC" (deployment hooks'
// status_changed_at: "2025-01-02 05:00:00 +0000"). One reader for both, so that the parse
// functions take either payload. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "common/json/json_object.h"
#include "common/status.h"
#include "common/time.h"

namespace leadline::sources::gitlab {

// RFC 3339 (any offset, fractions truncated), or a date and time followed by " UTC" or by a
// numeric offset "+HHMM"/"-HHMM".
common::Result<common::UnixSeconds> ParseGitLabTime(std::string_view text);

// The time at `key` of `object`; errors name the field ("field 'created_at': ...").
common::Result<common::UnixSeconds> TimeAt(const common::json::JsonObject& object,
                                           std::string_view key);
// nullopt when absent or null.
common::Result<std::optional<common::UnixSeconds>> OptionalTimeAt(
    const common::json::JsonObject& object, std::string_view key);

}  // namespace leadline::sources::gitlab
