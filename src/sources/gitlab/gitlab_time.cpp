#include "sources/gitlab/gitlab_time.h"

#include <string>

namespace leadline::sources::gitlab {
namespace {

using common::Result;
using common::UnixSeconds;
using common::json::JsonObject;

constexpr std::string_view kUtcSuffix = " UTC";
// "2025-01-02 03:04:05" is 19 characters; a webhook offset follows as " +0000".
constexpr std::size_t kDateTimeLength = 19;

bool IsNumericOffset(std::string_view text) {
  if (text.size() != 6 || text[0] != ' ' || (text[1] != '+' && text[1] != '-')) return false;
  for (std::size_t i = 2; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

}  // namespace

Result<UnixSeconds> ParseGitLabTime(std::string_view text) {
  std::string rfc3339;
  if (text.size() == kDateTimeLength + kUtcSuffix.size() && text.ends_with(kUtcSuffix)) {
    rfc3339 = std::string(text.substr(0, kDateTimeLength)) + "Z";
  } else if (text.size() == kDateTimeLength + 6 && IsNumericOffset(text.substr(kDateTimeLength))) {
    // " +0000" -> "+00:00"
    const std::string_view offset = text.substr(kDateTimeLength + 1);
    rfc3339 = std::string(text.substr(0, kDateTimeLength)) + std::string(offset.substr(0, 3)) +
              ":" + std::string(offset.substr(3));
  } else {
    rfc3339 = std::string(text);
  }
  Result<UnixSeconds> time = common::ParseRfc3339(rfc3339);
  if (!time.ok()) {
    return common::Status::InvalidArgument(
        "'" + std::string(text) +
        "' is not a GitLab time (\"2017-04-29T08:46:00.000Z\" or \"2025-01-02 03:04:05 UTC\")");
  }
  return time;
}

Result<UnixSeconds> TimeAt(const JsonObject& object, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string text, object.String(key));
  Result<UnixSeconds> time = ParseGitLabTime(text);
  if (!time.ok()) return object.Error(key, time.status().message());
  return time;
}

Result<std::optional<UnixSeconds>> OptionalTimeAt(const JsonObject& object, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::string> text, object.OptionalString(key));
  if (!text) return std::optional<UnixSeconds>();
  LEADLINE_ASSIGN_OR_RETURN(const UnixSeconds time, TimeAt(object, key));
  return std::optional<UnixSeconds>(time);
}

}  // namespace leadline::sources::gitlab
