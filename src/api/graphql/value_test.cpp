#include "api/graphql/value.h"

#include <gtest/gtest.h>

namespace leadline::graphql {
namespace {

TEST(ValueTest, NumbersPrintAsJavaScriptPrintsThem) {
  const std::pair<double, const char*> cases[] = {
      {0, "0"},
      {1, "1"},
      {-1.5, "-1.5"},
      {0.1, "0.1"},
      {1e21, "1e+21"},
      {1e20, "100000000000000000000"},
      {1.5e-7, "1.5e-7"},
      {0.000001, "0.000001"},
      {123.456, "123.456"},
      {2.5e300, "2.5e+300"},
  };
  for (const auto& [number, text] : cases) EXPECT_EQ(ToJson(Value::Float(number)), text);
}

TEST(ValueTest, JsonRoundTripKeepsOrderAndEscapes) {
  Value value;
  std::string error;
  ASSERT_TRUE(ValueFromJson(R"({"b":[1,2.5,true,null],"a":"x\n\u0001\"","c":{}})", &value, &error));
  EXPECT_EQ(ToJson(value), R"({"b":[1,2.5,true,null],"a":"x\n\u0001\"","c":{}})");
  EXPECT_FALSE(ValueFromJson("{nope", &value, &error));
  EXPECT_EQ(error, "the text is not valid JSON");
}

}  // namespace
}  // namespace leadline::graphql
