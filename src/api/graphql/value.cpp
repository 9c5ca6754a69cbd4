#include "api/graphql/value.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace leadline::graphql {

const Value* Value::Find(std::string_view key) const {
  for (const auto& [name, member] : object) {
    if (name == key) return &member;
  }
  return nullptr;
}

namespace {

// Number.prototype.toString(): the shortest digits that round-trip, placed as JavaScript does
// (plain up to 1e21, exponent below 1e-6 and from 1e21).
void AppendJavaScriptNumber(double number, std::string& out) {
  if (number == 0) {
    out += '0';
    return;
  }
  char buffer[40];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, number, std::chars_format::scientific);
  std::string_view text(buffer, static_cast<size_t>(result.ptr - buffer));
  if (text.front() == '-') {
    out += '-';
    text.remove_prefix(1);
  }
  const size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  const int exponent = std::stoi(std::string(text.substr(e + 1)));
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // the position of the decimal point
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<size_t>(n));
    out += '.';
    out += digits.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
}

}  // namespace

void AppendQuoted(std::string_view text, QuoteStyle style, std::string& out) {
  const bool graphql = style == QuoteStyle::kGraphql;
  out += '"';
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || (graphql && c == 0x7F)) {
          const char* hex = graphql ? "0123456789ABCDEF" : "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void AppendJsonString(std::string_view text, std::string& out) {
  AppendQuoted(text, QuoteStyle::kJson, out);
}

void AppendJson(const Value& value, std::string& out) {
  switch (value.kind) {
    case Value::Kind::kNull:
      out += "null";
      return;
    case Value::Kind::kBoolean:
      out += value.boolean ? "true" : "false";
      return;
    case Value::Kind::kInt:
      out += std::to_string(value.integer);
      return;
    case Value::Kind::kFloat: {
      if (!std::isfinite(value.number)) {
        out += "null";
        return;
      }
      AppendJavaScriptNumber(value.number, out);
      return;
    }
    case Value::Kind::kString:
    case Value::Kind::kEnum:
      AppendJsonString(value.string, out);
      return;
    case Value::Kind::kList:
      out += '[';
      for (size_t i = 0; i < value.list.size(); ++i) {
        if (i) out += ',';
        AppendJson(value.list[i], out);
      }
      out += ']';
      return;
    case Value::Kind::kObject:
      out += '{';
      for (size_t i = 0; i < value.object.size(); ++i) {
        if (i) out += ',';
        AppendJsonString(value.object[i].first, out);
        out += ':';
        AppendJson(value.object[i].second, out);
      }
      out += '}';
      return;
  }
}

std::string ToJson(const Value& value) {
  std::string out;
  AppendJson(value, out);
  return out;
}

namespace {

// JSON deeper than this is refused rather than converted (the conversion recurses).
constexpr int kMaxJsonDepth = 100;

bool TooDeep(const nlohmann::ordered_json& json, int depth) {
  if (depth > kMaxJsonDepth) return true;
  if (!json.is_structured()) return false;
  for (const auto& item : json) {
    if (TooDeep(item, depth + 1)) return true;
  }
  return false;
}

Value FromNlohmann(const nlohmann::ordered_json& json) {
  switch (json.type()) {
    case nlohmann::ordered_json::value_t::boolean:
      return Value::Boolean(json.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer:
      return Value::Int(json.get<int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: {
      const uint64_t u = json.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return Value::Float(static_cast<double>(u));
      return Value::Int(static_cast<int64_t>(u));
    }
    case nlohmann::ordered_json::value_t::number_float: {
      // JSON has one number type: an integral float is an integer (1.0 is 1 in JavaScript).
      const double d = json.get<double>();
      if (std::floor(d) == d && std::fabs(d) < 9.007199254740992e15) {
        return Value::Int(static_cast<int64_t>(d));
      }
      return Value::Float(d);
    }
    case nlohmann::ordered_json::value_t::string:
      return Value::String(json.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
      Value list = Value::List();
      for (const auto& item : json) list.list.push_back(FromNlohmann(item));
      return list;
    }
    case nlohmann::ordered_json::value_t::object: {
      Value object = Value::Object();
      for (const auto& [key, member] : json.items()) {
        object.object.emplace_back(key, FromNlohmann(member));
      }
      return object;
    }
    default:
      return Value::Null();
  }
}

}  // namespace

bool ValueFromJson(std::string_view text, Value* value, std::string* error) {
  auto json = nlohmann::ordered_json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    *error = "the text is not valid JSON";
    return false;
  }
  if (TooDeep(json, 0)) {
    *error = "the JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  *value = FromNlohmann(json);
  return true;
}

}  // namespace leadline::graphql
