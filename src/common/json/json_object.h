// Typed access to the fields of a JSON object, for every source's parse functions. Every failure
// is an InvalidArgument Status that names the field by its path from the payload's root
// ("state.result.name", "parents[1].id") and says what was expected and what was found, e.g.
// "field 'created_on': expected an RFC 3339 string, got a number". An absent field and a null
// one are the same thing: real payloads use both.
// A JsonObject refers to the JSON it was made from, which must outlive it. Const use from several
// threads is safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace leadline::common::json {

// One word of an upstream vocabulary (a state name, an action) and what it means to us.
template <typename T>
struct NamedValue {
  std::string_view name;
  T value;
};

class JsonObject {
 public:
  // The root of `payload`; an error unless it is an object.
  static common::Result<JsonObject> Root(const nlohmann::json& payload);

  // Required fields: an error when absent, null or of another type.
  common::Result<std::string> String(std::string_view key) const;
  common::Result<std::int64_t> Integer(std::string_view key) const;
  // An RFC 3339 string ("2022-08-12T15:25:31.595898+00:00"), truncated to whole seconds.
  common::Result<common::UnixSeconds> Time(std::string_view key) const;
  // An integer of milliseconds since the epoch (Data Center), floored to whole seconds.
  common::Result<common::UnixSeconds> EpochMillis(std::string_view key) const;
  common::Result<JsonObject> Object(std::string_view key) const;

  // Optional fields: nullopt when absent or null, an error when of another type.
  common::Result<std::optional<std::string>> OptionalString(std::string_view key) const;
  // An optional string that reads as empty when absent or null.
  common::Result<std::string> StringOrEmpty(std::string_view key) const;
  common::Result<std::optional<std::int64_t>> OptionalInteger(std::string_view key) const;
  common::Result<std::optional<bool>> OptionalBool(std::string_view key) const;
  common::Result<std::optional<common::UnixSeconds>> OptionalTime(std::string_view key) const;
  common::Result<std::optional<common::UnixSeconds>> OptionalEpochMillis(
      std::string_view key) const;
  common::Result<std::optional<JsonObject>> OptionalObject(std::string_view key) const;
  // `read(object)` for the object at `key`; nullopt when it is absent or null.
  template <typename T, typename Read>
  common::Result<std::optional<T>> IfObject(std::string_view key, Read read) const;
  // The elements of an array of objects; empty when the array is absent or null.
  common::Result<std::vector<JsonObject>> OptionalObjects(std::string_view key) const;
  // The elements of an array of strings (a token's scopes); empty when absent or null.
  common::Result<std::vector<std::string>> OptionalStrings(std::string_view key) const;

  // The meaning of the required string at `key` among `words`; an unknown word is an error that
  // names the `vocabulary` ("deployment state") and lists the known words.
  template <typename T, std::size_t N>
  common::Result<T> Word(std::string_view key, std::string_view vocabulary,
                         const NamedValue<T> (&words)[N]) const;

  // "field '<path of key>': <message>".
  common::Status Error(std::string_view key, std::string_view message) const;

 private:
  JsonObject(const nlohmann::json& object, std::string path);

  static common::Result<JsonObject> At(const nlohmann::json& value, const std::string& path);
  std::string PathOf(std::string_view key) const;
  // The value at `key`, or nullptr when it is absent or null.
  const nlohmann::json* Find(std::string_view key) const;
  template <typename T, typename Convert>
  common::Result<T> Required(std::string_view key, std::string_view expected,
                             Convert convert) const;
  template <typename T, typename Convert>
  common::Result<std::optional<T>> Optional(std::string_view key, Convert convert) const;
  common::Status UnknownWord(std::string_view key, std::string_view vocabulary,
                             std::string_view word,
                             const std::vector<std::string_view>& known) const;

  const nlohmann::json* json_;
  std::string path_;  // empty at the root
};

template <typename T, std::size_t N>
common::Result<T> JsonObject::Word(std::string_view key, std::string_view vocabulary,
                                   const NamedValue<T> (&words)[N]) const {
  LEADLINE_ASSIGN_OR_RETURN(const std::string text, String(key));
  std::vector<std::string_view> known;
  for (const NamedValue<T>& word : words) {
    if (word.name == text) return word.value;
    known.push_back(word.name);
  }
  return UnknownWord(key, vocabulary, text, known);
}

template <typename T, typename Read>
common::Result<std::optional<T>> JsonObject::IfObject(std::string_view key, Read read) const {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> object, OptionalObject(key));
  if (!object) return std::optional<T>();
  LEADLINE_ASSIGN_OR_RETURN(T value, read(*object));
  return std::optional<T>(std::move(value));
}

}  // namespace leadline::common::json
