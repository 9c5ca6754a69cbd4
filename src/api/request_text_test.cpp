#include "api/request_text.h"

#include <gtest/gtest.h>

namespace leadline::api {
namespace {

TEST(ParseTargetTest, SplitsAndDecodesPathAndQuery) {
  const auto target = ParseTarget("/v1/pull-requests?repo=acme%2Fapi&team=core+team&x=1&x=2&flag");
  ASSERT_TRUE(target.ok()) << target.status().message();
  EXPECT_EQ(target->path, "/v1/pull-requests");
  EXPECT_EQ(target->query.at("repo"), "acme/api");
  EXPECT_EQ(target->query.at("team"), "core team");
  EXPECT_EQ(target->query.at("x"), "1");  // the first of a repeated name
  EXPECT_EQ(target->query.at("flag"), "");
}

TEST(ParseTargetTest, APlusInThePathStaysAPlus) {
  const auto target = ParseTarget("/a+b%20c");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->path, "/a+b c");
  EXPECT_TRUE(target->query.empty());
}

TEST(ParseTargetTest, DecodesUtf8) {
  const auto target = ParseTarget("/v1/teams?team=%C3%A9quipe");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->query.at("team"), "\xc3\xa9quipe");
}

TEST(ParseTargetTest, RefusesMalformedEscapes) {
  for (const char* bad : {"/a%", "/a%4", "/a%zz", "/a?b=%", "/a?b=%g1", "/a?%2=1"}) {
    EXPECT_FALSE(ParseTarget(bad).ok()) << bad;
  }
}

TEST(ParseTargetTest, RefusesTextThatIsNotUtf8) {
  const auto path = ParseTarget("/v1/%ff%fe");
  ASSERT_FALSE(path.ok());
  EXPECT_NE(path.status().message().find("path is not valid UTF-8"), std::string::npos);
  const auto query = ParseTarget("/v1/deployments?repo=%C3%28");
  ASSERT_FALSE(query.ok());
  EXPECT_NE(query.status().message().find("'repo' is not valid UTF-8"), std::string::npos);
  EXPECT_FALSE(ParseTarget("/v1/\xff").ok());
}

TEST(IsValidUtf8Test, TellsValidFromInvalid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xe2\x82\xac"));       // the euro sign
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

TEST(PrintableTest, EscapesEverythingButPrintableAscii) {
  EXPECT_EQ(Printable("a b/c"), "a b/c");
  EXPECT_EQ(Printable(std::string("x\0y\n\xff\\", 6)), "x\\x00y\\x0a\\xff\\x5c");
}

}  // namespace
}  // namespace leadline::api
