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
