#include "sources/push/field_reader.h"

#include <algorithm>
#include <cctype>

#include "common/text.h"
#include "common/time.h"
#include "sources/push/push_limits.h"

namespace leadline::sources {

using nlohmann::json;

FieldReader::FieldReader(const json& value, std::string where, std::vector<std::string> known,
                         std::vector<FieldError>& errors)
    : value_(value), where_(std::move(where)), known_(std::move(known)), errors_(errors) {}

void FieldReader::Fail(const std::string& field, const std::string& message) {
  errors_.push_back({where_.empty() ? field : where_ + "." + field, message});
}

std::string FieldReader::Text(const char* field, bool required, std::size_t max_bytes) {
  const auto it = value_.find(field);
  if (it == value_.end() || it->is_null()) {
    if (required) Fail(field, "is required");
    return {};
  }
  if (!it->is_string()) {
    Fail(field, "must be a string");
    return {};
  }
  std::string text = it->get<std::string>();
  if (required && text.empty()) {
    Fail(field, "must not be empty");
  } else if (text.size() > max_bytes) {
    Fail(field, "must be at most " + std::to_string(max_bytes) + " bytes, not " +
                    std::to_string(text.size()));
  } else if (std::any_of(text.begin(), text.end(),
                         [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    Fail(field, "must not contain control characters (bytes below 0x20, or 0x7f)");
  }
  return text;
}

std::optional<common::UnixSeconds> FieldReader::Time(const char* field, bool required) {
  const std::size_t known_errors = errors_.size();
  const std::string text = Text(field, required);
  if (text.empty() || errors_.size() != known_errors) return std::nullopt;
  const common::Result<common::UnixSeconds> t = common::ParseRfc3339(text);
  if (!t.ok()) {
    Fail(field, "must be an RFC 3339 time such as 2024-03-05T10:40:00Z, not '" + text + "'");
    return std::nullopt;
  }
  // A time no reader could ask for is a mistake, not an event: before 1970, or later than a
  // day from now (clocks differ; a deployment does not finish next year).
  if (*t < 0) {
    Fail(field, "must not be before 1970, not '" + text + "'");
    return std::nullopt;
  }
  if (*t > common::NowUnixSeconds() + kMaxFutureSeconds) {
    Fail(field, "must not be more than a day in the future, not '" + text + "'");
    return std::nullopt;
  }
  return *t;
}

std::string FieldReader::Commit(const char* field, bool required) {
  const std::size_t known_errors = errors_.size();
  const std::string text = common::AsciiLower(Text(field, required));
  const bool hex =
      std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
  if (!text.empty() && errors_.size() == known_errors &&
      (text.size() < 7 || text.size() > 40 || !hex)) {
    Fail(field, "must be a commit hash of 7 to 40 hex digits");
  }
  return text;
}

void FieldReader::RejectUnknownFields() {
  for (const auto& [key, unused] : value_.items()) {
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string list;
    for (const std::string& name : known_) list += (list.empty() ? "" : ", ") + name;
    Fail(key, "is not a known field (known: " + list + ")");
  }
}

void ForEachObject(std::string_view text, const std::string& list_key, std::size_t max_items,
                   std::vector<FieldError>& errors,
                   const std::function<void(const json&, const std::string&)>& read) {
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    errors.push_back({"", "is not valid JSON"});
    return;
  }
  const auto each = [&](const json& list, const std::string& prefix) {
    if (list.empty()) {
      errors.push_back({"", "has no " + list_key});
      return;
    }
    if (list.size() > max_items) {
      errors.push_back({"", "has " + std::to_string(list.size()) + " " + list_key +
                                "; send at most " + std::to_string(max_items) + " in one request"});
      return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string where = prefix + "[" + std::to_string(i) + "]";
      if (list[i].is_object()) {
        read(list[i], where);
      } else {
        errors.push_back({where, "must be an object"});
      }
    }
  };
  if (document.is_object() && document.contains(list_key)) {
    if (!document[list_key].is_array()) {
      errors.push_back({list_key, "must be an array"});
      return;
    }
    each(document[list_key], list_key);
  } else if (document.is_array()) {
    each(document, "");
  } else if (document.is_object()) {
    read(document, "");
  } else {
    errors.push_back({"", "must be an object"});
  }
}

std::string DescribeErrors(const std::vector<FieldError>& errors) {
  std::string message;
  for (const FieldError& error : errors) {
    message += (message.empty() ? "" : "\n") +
               (error.field.empty() ? "the document" : error.field) + ": " + error.message;
  }
  return message;
}

void RejectDuplicateIds(std::vector<std::string> ids, std::vector<FieldError>& errors) {
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 1; i < ids.size(); ++i) {
    if (!ids[i].empty() && ids[i] == ids[i - 1] && (i + 1 == ids.size() || ids[i + 1] != ids[i])) {
      errors.push_back({"", "the id '" + ids[i] + "' is given more than once"});
    }
  }
}

}  // namespace leadline::sources
