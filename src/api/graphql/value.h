// A JSON-like value: what variables, coerced arguments, resolver leaves and responses are made
// of. Objects keep their members in insertion order (a response keeps the order the query asked
// for). Plain value type; thread-safe to copy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadline::graphql {

struct Value {
  enum class Kind { kNull, kBoolean, kInt, kFloat, kString, kEnum, kList, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  std::string string;  // kString, kEnum
  std::vector<Value> list;
  std::vector<std::pair<std::string, Value>> object;

  static Value Null() { return {}; }
  static Value Boolean(bool b) {
    Value v;
    v.kind = Kind::kBoolean;
    v.boolean = b;
    return v;
  }
  static Value Int(int64_t i) {
    Value v;
    v.kind = Kind::kInt;
    v.integer = i;
    return v;
  }
  static Value Float(double d) {
    Value v;
    v.kind = Kind::kFloat;
    v.number = d;
    return v;
  }
  static Value String(std::string s) {
    Value v;
    v.kind = Kind::kString;
    v.string = std::move(s);
    return v;
  }
  static Value Enum(std::string s) {
    Value v;
    v.kind = Kind::kEnum;
    v.string = std::move(s);
    return v;
  }
  static Value List(std::vector<Value> items = {}) {
    Value v;
    v.kind = Kind::kList;
    v.list = std::move(items);
    return v;
  }
  static Value Object(std::vector<std::pair<std::string, Value>> members = {}) {
    Value v;
    v.kind = Kind::kObject;
    v.object = std::move(members);
    return v;
  }

  bool is_null() const { return kind == Kind::kNull; }
  // The member named `key` of an object, or nullptr.
  const Value* Find(std::string_view key) const;
};

// Compact JSON; numbers as JavaScript prints them, strings escaped as JSON.stringify does.
std::string ToJson(const Value& value);
void AppendJson(const Value& value, std::string& out);
void AppendJsonString(std::string_view text, std::string& out);
// Text in double quotes with its escapes: as JSON.stringify writes it (kJson), or as graphql-js
// prints a string literal (kGraphql: upper-case \u00XX, and DEL escaped too).
enum class QuoteStyle { kJson, kGraphql };
void AppendQuoted(std::string_view text, QuoteStyle style, std::string& out);

// Parses JSON text (variables of a request). False with *error set when it is not JSON.
bool ValueFromJson(std::string_view text, Value* value, std::string* error);

}  // namespace leadline::graphql
