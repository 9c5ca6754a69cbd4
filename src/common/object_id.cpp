#include "common/object_id.h"

#include <cstring>

#include "common/text.h"

namespace leadline::common {
namespace {
template <typename Word>
Word LoadBigEndian(const std::uint8_t* bytes) {
  Word word;
  std::memcpy(&word, bytes, sizeof(word));
  if constexpr (sizeof(Word) == 8) return __builtin_bswap64(word);
  return __builtin_bswap32(word);
}

}  // namespace

std::strong_ordering ObjectId::operator<=>(const ObjectId& other) const {
  const std::uint64_t a0 = LoadBigEndian<std::uint64_t>(bytes.data());
  const std::uint64_t b0 = LoadBigEndian<std::uint64_t>(other.bytes.data());
  if (a0 != b0) return a0 <=> b0;
  const std::uint64_t a1 = LoadBigEndian<std::uint64_t>(bytes.data() + 8);
  const std::uint64_t b1 = LoadBigEndian<std::uint64_t>(other.bytes.data() + 8);
  if (a1 != b1) return a1 <=> b1;
  return LoadBigEndian<std::uint32_t>(bytes.data() + 16) <=>
         LoadBigEndian<std::uint32_t>(other.bytes.data() + 16);
}

std::string ObjectId::Hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(40, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

std::optional<ObjectId> ObjectId::FromHex(std::string_view hex) {
  // A table instead of branches: ids are parsed for every commit and parent a snapshot loads.
  static constexpr auto kValues = [] {
    std::array<std::int8_t, 256> values{};
    values.fill(-1);
    for (int i = 0; i < 10; ++i) values['0' + i] = static_cast<std::int8_t>(i);
    for (int i = 0; i < 6; ++i) {
      values['a' + i] = static_cast<std::int8_t>(10 + i);
      values['A' + i] = static_cast<std::int8_t>(10 + i);
    }
    return values;
  }();
  if (hex.size() != 40) return std::nullopt;
  ObjectId id;
  int bad = 0;
  for (std::size_t i = 0; i < id.bytes.size(); ++i) {
    const int hi = kValues[static_cast<unsigned char>(hex[2 * i])];
    const int lo = kValues[static_cast<unsigned char>(hex[2 * i + 1])];
    bad |= hi | lo;
    id.bytes[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  if (bad < 0) return std::nullopt;
  return id;
}

bool IsHexString(std::string_view text) {
  for (char c : text) {
    if (HexDigitValue(c) < 0) return false;
  }
  return !text.empty();
}

}  // namespace leadline::common
