#include "sources/bitbucket/testing_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace leadline::sources::bitbucket::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseCsv, ReadsPlainAndQuotedFields) {
  const auto table = ParseCsv(
      "id,data,url\n"
      "1,\"{\"\"a\"\": 1, \"\"b\"\": [2, 3]}\",https://x/1\n"
      "2,\"line one\nline two\",\n");
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_THAT(table->header, ElementsAre("id", "data", "url"));
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_THAT(table->rows[0], ElementsAre("1", R"({"a": 1, "b": [2, 3]})", "https://x/1"));
  EXPECT_THAT(table->rows[1], ElementsAre("2", "line one\nline two", ""));
}

TEST(ParseCsv, AcceptsCrLfAndNoFinalLineBreak) {
  const auto table = ParseCsv("\"id\",\"data\"\r\n\"1\",\"x\r\ny\"\r\n2,\"\"");
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_THAT(table->header, ElementsAre("id", "data"));
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_THAT(table->rows[0], ElementsAre("1", "x\r\ny"));
  EXPECT_THAT(table->rows[1], ElementsAre("2", ""));
}

TEST(ParseCsv, SkipsBlankLines) {
  const auto table = ParseCsv("a,b\n\n1,2\r\n\r\n\n");
  ASSERT_TRUE(table.ok()) << table.status().message();
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_THAT(table->rows[0], ElementsAre("1", "2"));
}

TEST(ParseCsv, KeepsATrailingEmptyField) {
  const auto table = ParseCsv("a,b\n1,");
  ASSERT_TRUE(table.ok()) << table.status().message();
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_THAT(table->rows[0], ElementsAre("1", ""));
}

TEST(ParseCsv, RejectsMalformedText) {
  EXPECT_THAT(ParseCsv("a,b\n1,\"open\n").status().message(),
              HasSubstr("line 2: a quoted field is never closed"));
  EXPECT_THAT(ParseCsv("a,b\n1,x\"y\n").status().message(),
              HasSubstr("line 2: a quote inside an unquoted field"));
  EXPECT_THAT(ParseCsv("a,b\n1,\"x\"y\n").status().message(),
              HasSubstr("line 2: text after a closing quote"));
  EXPECT_THAT(ParseCsv("a,b\n1,2,3\n").status().message(),
              HasSubstr("record 2 has 3 fields, the header 2"));
  EXPECT_THAT(ParseCsv("").status().message(), HasSubstr("no header row"));
}

TEST(WithField, ReplacesOrRemovesOneField) {
  const nlohmann::json object = {{"a", {{"b", 1}, {"c", 2}}}};
  EXPECT_EQ(WithField(object, "/a/b", "x"), (nlohmann::json{{"a", {{"b", "x"}, {"c", 2}}}}));
  EXPECT_EQ(WithField(object, "/a/c", kRemove), (nlohmann::json{{"a", {{"b", 1}}}}));
}

}  // namespace
}  // namespace leadline::sources::bitbucket::testing
