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
