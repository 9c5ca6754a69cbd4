#include "common/object_id.h"

#include <gtest/gtest.h>

namespace leadline::common {
namespace {

TEST(ObjectId, HexRoundTrip) {
  const std::string hex = "0123456789abcdef0123456789abcdef01234567";
  auto id = ObjectId::FromHex(hex);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->Hex(), hex);
  EXPECT_EQ(ObjectId::FromHex("0123456789ABCDEF0123456789ABCDEF01234567")->Hex(), hex);
}

TEST(ObjectId, RejectsWrongLengthAndNonHex) {
  EXPECT_FALSE(ObjectId::FromHex("0123").has_value());
  EXPECT_FALSE(ObjectId::FromHex("g123456789abcdef0123456789abcdef01234567").has_value());
  EXPECT_FALSE(ObjectId::FromHex("").has_value());
}

// Every byte value at every position of an id: parsed exactly when it is a hex digit, to the
// digit's value.
TEST(ObjectId, ParsesEachDigitAndRejectsEveryOtherByteAtEveryPosition) {
  const std::string base = "0123456789abcdefABCDEF0123456789abcdef01";
  const auto digit_value = [](int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t at = 0; at < base.size(); ++at) {
    for (int c = 0; c < 256; ++c) {
      std::string hex = base;
      hex[at] = static_cast<char>(c);
      const auto id = ObjectId::FromHex(hex);
      ASSERT_EQ(id.has_value(), digit_value(c) >= 0) << "position " << at << ", byte " << c;
      if (!id) continue;
      for (std::size_t i = 0; i < 40; ++i) {
        const int nibble = (i % 2 == 0) ? id->bytes[i / 2] >> 4 : id->bytes[i / 2] & 0xf;
        ASSERT_EQ(nibble, digit_value(static_cast<unsigned char>(hex[i])))
            << "position " << at << ", byte " << c << ", digit " << i;
      }
    }
  }
}

TEST(ObjectId, OrdersByBytes) {
  EXPECT_LT(*ObjectId::FromHex(std::string(39, '0') + "1"),
            *ObjectId::FromHex("1" + std::string(39, '0')));
}

TEST(IsHexString, Basics) {
  EXPECT_TRUE(IsHexString("abc123"));
  EXPECT_FALSE(IsHexString(""));
  EXPECT_FALSE(IsHexString("xyz"));
}

}  // namespace
}  // namespace leadline::common
