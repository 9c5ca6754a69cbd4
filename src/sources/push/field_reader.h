// Reading the JSON objects CI and incident tools push (deployments, incidents): typed fields,
// every mistake collected with where it is ("incidents[2].started_at: ..."), unknown fields
// refused. Shared by the parsers in this folder. Thread-compatible.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "sources/push/field_error.h"
#include "sources/push/push_limits.h"

namespace leadline::sources {

class FieldReader {
 public:
  // `where` prefixes field names ("incidents[2]"); `known` lists the object's fields.
  FieldReader(const nlohmann::json& value, std::string where, std::vector<std::string> known,
              std::vector<FieldError>& errors);

  void Fail(const std::string& field, const std::string& message);
  // A string field of at most `max_bytes` and no control characters (bytes below 0x20, 0x7f); a
  // required one must be present and non-empty. A text that breaks a bound is still returned.
  std::string Text(const char* field, bool required, std::size_t max_bytes = kMaxIdentifierBytes);
  // An RFC 3339 time.
  std::optional<common::UnixSeconds> Time(const char* field, bool required);
  // A commit hash of 7 to 40 hex digits, lowercased; empty when absent.
  std::string Commit(const char* field, bool required);
  bool Has(const char* field) const { return value_.contains(field); }
  void RejectUnknownFields();

 private:
  const nlohmann::json& value_;
  std::string where_;
  std::vector<std::string> known_;
  std::vector<FieldError>& errors_;
};

// The objects of a document that is one object, an array of them, or {"<list_key>": [...]}:
// calls `read(object, where)` for each ("" for a lone object, "[i]" or "<list_key>[i]").
// Structural mistakes (not JSON, not objects, no objects, more than `max_items`) are added to
// `errors`; a list over `max_items` is not read.
void ForEachObject(std::string_view text, const std::string& list_key, std::size_t max_items,
                   std::vector<FieldError>& errors,
                   const std::function<void(const nlohmann::json&, const std::string&)>& read);

// Adds an error for every id given more than once.
void RejectDuplicateIds(std::vector<std::string> ids, std::vector<FieldError>& errors);

}  // namespace leadline::sources
