// A git object id (SHA-1, 20 bytes) and its hex spelling. Plain value type.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leadline::common {

struct ObjectId {
  std::array<std::uint8_t, 20> bytes{};

  bool operator==(const ObjectId&) const = default;
  // Byte order, compared as three big-endian words: faster than memcmp for sorting and search.
  std::strong_ordering operator<=>(const ObjectId& other) const;
  std::string Hex() const;
  // Parses exactly 40 hex digits (either case).
  static std::optional<ObjectId> FromHex(std::string_view hex);
};

bool IsHexString(std::string_view text);

}  // namespace leadline::common
