#include "sources/contract/token_walk.h"

#include <gtest/gtest.h>

#include "sources/contract/test_incident.h"

namespace leadline::sources {
namespace {

constexpr TokenRules kRules{"Tool", 16};

TEST(TokenWalkTest, CursorsRoundTripAndRefuseWhatTheyDidNotWrite) {
  const TokenWalk start = StartTokenWalk(200, 100);
  EXPECT_EQ(start, (TokenWalk{100, 100, ""}));
  EXPECT_EQ(EncodeTokenWalk({5, 9, ""}), "walk 5 9 -");
  EXPECT_EQ(*DecodeTokenWalk("walk 5 9 abc", kRules), (TokenWalk{5, 9, "abc"}));
  EXPECT_TRUE(IsInsideWalk("walk 5 9 abc"));
  EXPECT_EQ(DecodeWalkEnd(EncodeWalkEnd(9)), 9);
  EXPECT_FALSE(DecodeWalkEnd("after 9 10").has_value());
  for (const char* bad : {"walk 9 5 -", "walk 5 9", "walk 5 9 a b",
                          "walk 5 9 "
                          "0123456789abcdefg"}) {
    const auto decoded = DecodeTokenWalk(bad, kRules);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_NE(decoded.status().message().find("stored Tool sync cursor"), std::string::npos);
  }
}

TEST(TokenWalkTest, NextEndsWithoutATokenAndRefusesLoopsAndNonWords) {
  const TokenWalk at{5, 9, "a"};
  EXPECT_FALSE(NextTokenWalk(at, "", kRules)->has_value());
  EXPECT_EQ(NextTokenWalk(at, "b", kRules)->value().token, "b");
  EXPECT_FALSE(NextTokenWalk(at, "a", kRules).ok());
  EXPECT_FALSE(NextTokenWalk(at, "-", kRules).ok());
  EXPECT_FALSE(NextTokenWalk(at, "b c", kRules).ok());
  EXPECT_FALSE(NextTokenWalk(at, std::string(17, 'x'), kRules).ok());
}

TEST(TestIncidentTest, TitlesAndLabelsMarkTests) {
  EXPECT_TRUE(IsTestTitle("  [TEST] paging"));
  EXPECT_TRUE(IsTestTitle("Test: routing"));
  EXPECT_FALSE(IsTestTitle("Tests fail"));
  EXPECT_TRUE(HasTestLabel({"db", "TEST"}));
  EXPECT_FALSE(HasTestLabel({"testing"}));
}

}  // namespace
}  // namespace leadline::sources
