#include "api/request_text.h"

#include <simdjson.h>

#include <optional>

#include "common/text.h"

namespace leadline::api {
namespace {

// Percent-decodes `text`; nullopt for a malformed escape.
std::optional<std::string> Decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = common::HexDigitValue(text[i + 1]);
      const int low = common::HexDigitValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(plus_is_space && c == '+' ? ' ' : c);
    }
  }
  return out;
}

}  // namespace

common::Result<RequestTarget> ParseTarget(std::string_view target) {
  const std::size_t mark = target.find('?');
  RequestTarget out;
  auto path = Decode(target.substr(0, mark), false);
  if (!path) return common::Status::InvalidArgument("the request's path has a malformed %-escape");
  if (!IsValidUtf8(*path))
    return common::Status::InvalidArgument("the request's path is not valid UTF-8");
  out.path = std::move(*path);
  if (mark == std::string_view::npos) return out;
  std::string_view rest = target.substr(mark + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    auto name = Decode(pair.substr(0, equals), true);
    auto value = Decode(
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
    if (!name || !value) {
      return common::Status::InvalidArgument("a query parameter has a malformed %-escape");
    }
    if (!IsValidUtf8(*name) || !IsValidUtf8(*value)) {
      return common::Status::InvalidArgument("query parameter '" + Printable(*name) +
                                             "' is not valid UTF-8");
    }
    out.query.emplace(std::move(*name), std::move(*value));
  }
  return out;
}

bool IsValidUtf8(std::string_view text) {
  return simdjson::validate_utf8(text.data(), text.size());
}

std::string Printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '\\') {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  }
  return out;
}

}  // namespace leadline::api
