#include "common/object_id.h"

#include <bit>
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

static_assert(std::endian::native == std::endian::little, "HexWord reads digits little-endian");
constexpr std::uint64_t kOnes = 0x0101010101010101;
constexpr std::uint64_t kHighBits = 0x8080808080808080;

// Per byte of `x` (each below 0x80): 0x80 where lo <= byte <= hi, else 0.
constexpr std::uint64_t BytesInRange(std::uint64_t x, std::uint8_t lo, std::uint8_t hi) {
  const std::uint64_t at_least_lo = x + (0x80 - lo) * kOnes;
  const std::uint64_t above_hi = x + (0x7f - hi) * kOnes;
  return at_least_lo & ~above_hi & kHighBits;
}

// The 8 hex digits at `text` as 4 bytes in text order (in memory order of `value`); false if
// one is not a hex digit.
bool HexWord(const char* text, std::uint32_t& value) {
  std::uint64_t x;  // the first digit in the lowest byte (little-endian)
  std::memcpy(&x, text, sizeof(x));
  if ((x & kHighBits) != 0) return false;
  const std::uint64_t digit = BytesInRange(x, '0', '9');
  const std::uint64_t letter = BytesInRange(x | 0x20 * kOnes, 'a', 'f');  // A-F folded to a-f
  if ((digit | letter) != kHighBits) return false;
  const std::uint64_t nibbles = (x & 0x0f * kOnes) + (letter >> 7) * 9;
  // Byte 2k of `pairs` holds digit 2k in its high half and digit 2k+1 in its low half.
  std::uint64_t pairs = ((nibbles << 4) | (nibbles >> 8)) & 0x00ff00ff00ff00ff;
  pairs = (pairs | (pairs >> 8)) & 0x0000ffff0000ffff;
  pairs = (pairs | (pairs >> 16)) & 0x00000000ffffffff;
  value = static_cast<std::uint32_t>(pairs);
  return true;
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
  // Eight digits at a time in a 64-bit word (SWAR): ids are parsed for every commit and parent a
  // snapshot loads, and a table lookup per digit was a tenth of a repeat report's instructions.
  if (hex.size() != 40) return std::nullopt;
  ObjectId id;
  for (std::size_t word = 0; word < 5; ++word) {
    std::uint32_t value;
    if (!HexWord(hex.data() + 8 * word, value)) return std::nullopt;
    std::memcpy(id.bytes.data() + 4 * word, &value, sizeof(value));
  }
  return id;
}

bool IsHexString(std::string_view text) {
  for (char c : text) {
    if (HexDigitValue(c) < 0) return false;
  }
  return !text.empty();
}

}  // namespace leadline::common
