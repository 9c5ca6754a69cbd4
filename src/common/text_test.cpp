#include "common/text.h"

#include <gtest/gtest.h>

namespace leadline::common {
namespace {

TEST(TextTest, ComparesAsciiWithoutCase) {
  EXPECT_EQ(AsciiLower("SEV1 Prod-EU"), "sev1 prod-eu");
  EXPECT_TRUE(EqualsIgnoringCase("Production", "PRODUCTION"));
  EXPECT_FALSE(EqualsIgnoringCase("prod", "production"));
  EXPECT_FALSE(EqualsIgnoringCase("p1", "p2"));
}

}  // namespace
}  // namespace leadline::common

namespace leadline::common {
namespace {

TEST(HexDigitValueTest, ReadsEitherCaseAndRefusesTheRest) {
  EXPECT_EQ(HexDigitValue('0'), 0);
  EXPECT_EQ(HexDigitValue('9'), 9);
  EXPECT_EQ(HexDigitValue('a'), 10);
  EXPECT_EQ(HexDigitValue('F'), 15);
  for (const char c : {'g', 'G', '/', ':', '@', '`', ' ', '\0'}) EXPECT_EQ(HexDigitValue(c), -1);
}

}  // namespace
}  // namespace leadline::common
