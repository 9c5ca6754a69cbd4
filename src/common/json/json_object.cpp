#include "common/json/json_object.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

namespace leadline::common::json {
namespace {

using common::Result;
using common::Status;
using common::UnixSeconds;
using nlohmann::json;

constexpr std::string_view kString = "a string";
constexpr std::string_view kInteger = "an integer";
constexpr std::string_view kTime = "an RFC 3339 string";
constexpr std::string_view kEpochMillis = "an integer of epoch milliseconds";
constexpr std::string_view kObject = "an object";

Status FieldError(const std::string& path, std::string_view message) {
  return Status::InvalidArgument("field '" + path + "': " + std::string(message));
}

std::string Describe(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_float:
      return "a fractional number";
    default:
      return "a number";
  }
}

Status WrongType(const json& value, const std::string& path, std::string_view expected) {
  return FieldError(path, "expected " + std::string(expected) + ", got " + Describe(value));
}

Result<std::string> AsString(const json& value, const std::string& path) {
  if (!value.is_string()) return WrongType(value, path, kString);
  return value.get<std::string>();
}

Result<std::int64_t> AsInteger(const json& value, const std::string& path,
                               std::string_view expected) {
  if (value.is_number_unsigned() &&
      value.get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return FieldError(path, "expected " + std::string(expected) + ", got " + value.dump() +
                                ", which is out of range");
  }
  if (!value.is_number_integer()) return WrongType(value, path, expected);
  return value.get<std::int64_t>();
}

Result<std::int64_t> AsPlainInteger(const json& value, const std::string& path) {
  return AsInteger(value, path, kInteger);
}

Result<bool> AsBool(const json& value, const std::string& path) {
  if (!value.is_boolean()) return WrongType(value, path, "a boolean");
  return value.get<bool>();
}

Result<UnixSeconds> AsTime(const json& value, const std::string& path) {
  if (!value.is_string()) return WrongType(value, path, kTime);
  Result<UnixSeconds> time = common::ParseRfc3339(value.get_ref<const std::string&>());
  if (!time.ok()) return FieldError(path, time.status().message());
  return time;
}

Result<UnixSeconds> AsEpochMillis(const json& value, const std::string& path) {
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t millis, AsInteger(value, path, kEpochMillis));
  return millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000);
}

}  // namespace

JsonObject::JsonObject(const json& object, std::string path)
    : json_(&object), path_(std::move(path)) {}

Result<JsonObject> JsonObject::Root(const json& payload) {
  if (!payload.is_object()) {
    return Status::InvalidArgument("expected a JSON object, got " + Describe(payload));
  }
  return JsonObject(payload, "");
}

Result<JsonObject> JsonObject::At(const json& value, const std::string& path) {
  if (!value.is_object()) return WrongType(value, path, kObject);
  return JsonObject(value, path);
}

std::string JsonObject::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const json* JsonObject::Find(std::string_view key) const {
  const auto it = json_->find(key);
  return it == json_->end() || it->is_null() ? nullptr : &*it;
}

Status JsonObject::Error(std::string_view key, std::string_view message) const {
  return FieldError(PathOf(key), message);
}

Status JsonObject::UnknownWord(std::string_view key, std::string_view vocabulary,
                               std::string_view word,
                               const std::vector<std::string_view>& known) const {
  std::string message = "unknown " + std::string(vocabulary) + " '" + std::string(word) + "'";
  for (std::size_t i = 0; i < known.size(); ++i) {
    message += (i == 0 ? " (known: " : ", ") + std::string(known[i]);
  }
  return Error(key, message + ")");
}

template <typename T, typename Convert>
Result<T> JsonObject::Required(std::string_view key, std::string_view expected,
                               Convert convert) const {
  const json* value = Find(key);
  if (value == nullptr) {
    if (json_->contains(key)) return Error(key, "expected " + std::string(expected) + ", got null");
    return Error(key, "missing, expected " + std::string(expected));
  }
  return convert(*value, PathOf(key));
}

template <typename T, typename Convert>
Result<std::optional<T>> JsonObject::Optional(std::string_view key, Convert convert) const {
  const json* value = Find(key);
  if (value == nullptr) return std::optional<T>();
  LEADLINE_ASSIGN_OR_RETURN(T converted, convert(*value, PathOf(key)));
  return std::optional<T>(std::move(converted));
}

Result<std::string> JsonObject::String(std::string_view key) const {
  return Required<std::string>(key, kString, AsString);
}

Result<std::int64_t> JsonObject::Integer(std::string_view key) const {
  return Required<std::int64_t>(key, kInteger, AsPlainInteger);
}

Result<UnixSeconds> JsonObject::Time(std::string_view key) const {
  return Required<UnixSeconds>(key, kTime, AsTime);
}

Result<UnixSeconds> JsonObject::EpochMillis(std::string_view key) const {
  return Required<UnixSeconds>(key, kEpochMillis, AsEpochMillis);
}

Result<JsonObject> JsonObject::Object(std::string_view key) const {
  return Required<JsonObject>(key, kObject, At);
}

Result<std::optional<std::string>> JsonObject::OptionalString(std::string_view key) const {
  return Optional<std::string>(key, AsString);
}

Result<std::string> JsonObject::StringOrEmpty(std::string_view key) const {
  LEADLINE_ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalString(key));
  return std::move(text).value_or("");
}

Result<std::optional<std::int64_t>> JsonObject::OptionalInteger(std::string_view key) const {
  return Optional<std::int64_t>(key, AsPlainInteger);
}

Result<std::optional<bool>> JsonObject::OptionalBool(std::string_view key) const {
  return Optional<bool>(key, AsBool);
}

Result<std::optional<UnixSeconds>> JsonObject::OptionalTime(std::string_view key) const {
  return Optional<UnixSeconds>(key, AsTime);
}

Result<std::optional<UnixSeconds>> JsonObject::OptionalEpochMillis(std::string_view key) const {
  return Optional<UnixSeconds>(key, AsEpochMillis);
}

Result<std::optional<JsonObject>> JsonObject::OptionalObject(std::string_view key) const {
  return Optional<JsonObject>(key, At);
}

Result<std::vector<JsonObject>> JsonObject::OptionalObjects(std::string_view key) const {
  std::vector<JsonObject> objects;
  const json* value = Find(key);
  if (value == nullptr) return objects;
  if (!value->is_array()) return WrongType(*value, PathOf(key), "an array of objects");
  for (std::size_t i = 0; i < value->size(); ++i) {
    LEADLINE_ASSIGN_OR_RETURN(JsonObject object,
                              At((*value)[i], PathOf(key) + "[" + std::to_string(i) + "]"));
    objects.push_back(std::move(object));
  }
  return objects;
}

Result<std::vector<std::string>> JsonObject::OptionalStrings(std::string_view key) const {
  std::vector<std::string> strings;
  const json* value = Find(key);
  if (value == nullptr) return strings;
  if (!value->is_array()) return WrongType(*value, PathOf(key), "an array of strings");
  for (std::size_t i = 0; i < value->size(); ++i) {
    LEADLINE_ASSIGN_OR_RETURN(std::string text,
                              AsString((*value)[i], PathOf(key) + "[" + std::to_string(i) + "]"));
    strings.push_back(std::move(text));
  }
  return strings;
}

}  // namespace leadline::common::json
