#include "common/json/json_object.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace leadline::common::json {
namespace {

using nlohmann::json;

const json kObject = json::parse(R"({
  "text": "Zoë",
  "count": 42,
  "fraction": 1.5,
  "huge": 18446744073709551615,
  "flag": true,
  "at": "2024-05-01T14:00:00.123+02:00",
  "millis": 1714557600123,
  "nothing": null,
  "child": {"name": "main", "count": "seven"},
  "list": [{"hash": "a"}, {"hash": 7}],
  "numbers": [1, 2],
  "words": ["read_api", "api"],
  "mixed": ["read_api", 7]
})");

constexpr NamedValue<int> kColours[] = {{"RED", 1}, {"GREEN", 2}};

TEST(JsonObject, ReadsRequiredFields) {
  const auto root = JsonObject::Root(kObject);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root->String("text"), "Zoë");
  EXPECT_EQ(*root->Integer("count"), 42);
  EXPECT_EQ(common::FormatRfc3339(*root->Time("at")), "2024-05-01T12:00:00Z");
  EXPECT_EQ(*root->EpochMillis("millis"), 1714557600);  // 1714557600123 ms
  const auto child = root->Object("child");
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(*child->String("name"), "main");
}

TEST(JsonObject, AbsentAndNullOptionalFieldsAreEmpty) {
  const auto root = JsonObject::Root(kObject);
  for (const char* key : {"absent", "nothing"}) {
    EXPECT_FALSE(root->OptionalString(key)->has_value()) << key;
    EXPECT_FALSE(root->OptionalInteger(key)->has_value()) << key;
    EXPECT_FALSE(root->OptionalBool(key)->has_value()) << key;
    EXPECT_FALSE(root->OptionalTime(key)->has_value()) << key;
    EXPECT_FALSE(root->OptionalEpochMillis(key)->has_value()) << key;
    EXPECT_FALSE(root->OptionalObject(key)->has_value()) << key;
    EXPECT_TRUE(root->OptionalObjects(key)->empty()) << key;
    EXPECT_EQ(*root->StringOrEmpty(key), "") << key;
  }
  EXPECT_EQ(**root->OptionalBool("flag"), true);
  EXPECT_EQ(**root->OptionalString("text"), "Zoë");
}

TEST(JsonObject, IfObjectReadsAPresentObject) {
  const auto root = JsonObject::Root(kObject);
  const auto read_name = [](const JsonObject& object) { return object.String("name"); };
  EXPECT_EQ(**root->IfObject<std::string>("child", read_name), "main");
  EXPECT_FALSE(root->IfObject<std::string>("nothing", read_name)->has_value());
}

TEST(JsonObject, ObjectsInAnArrayKnowTheirIndex) {
  const auto root = JsonObject::Root(kObject);
  const auto list = root->OptionalObjects("list");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(*(*list)[0].String("hash"), "a");
  const auto second = (*list)[1].String("hash");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(), "field 'list[1].hash': expected a string, got a number");
}

TEST(JsonObject, ReadsAnArrayOfStrings) {
  const auto root = JsonObject::Root(kObject);
  EXPECT_THAT(*root->OptionalStrings("words"), ::testing::ElementsAre("read_api", "api"));
  EXPECT_TRUE(root->OptionalStrings("absent")->empty());
  EXPECT_TRUE(root->OptionalStrings("nothing")->empty());
}

TEST(JsonObject, WordsMapToTheirValues) {
  const json object = {{"colour", "GREEN"}};
  const auto root = JsonObject::Root(object);
  EXPECT_EQ(*root->Word("colour", "colour", kColours), 2);
}

TEST(JsonObject, ErrorsNameTheFieldAndWhatWasExpected) {
  struct Case {
    std::function<common::Status(const JsonObject&)> read;
    const char* message;
  };
  const auto status = [](const auto& result) { return result.status(); };
  const Case cases[] = {
      {[&](const JsonObject& o) { return status(o.String("absent")); },
       "field 'absent': missing, expected a string"},
      {[&](const JsonObject& o) { return status(o.String("nothing")); },
       "field 'nothing': expected a string, got null"},
      {[&](const JsonObject& o) { return status(o.String("count")); },
       "field 'count': expected a string, got a number"},
      {[&](const JsonObject& o) { return status(o.Integer("fraction")); },
       "field 'fraction': expected an integer, got a fractional number"},
      {[&](const JsonObject& o) { return status(o.Integer("huge")); },
       "field 'huge': expected an integer, got 18446744073709551615, which is out of range"},
      {[&](const JsonObject& o) { return status(o.OptionalBool("text")); },
       "field 'text': expected a boolean, got a string"},
      {[&](const JsonObject& o) { return status(o.Time("count")); },
       "field 'count': expected an RFC 3339 string, got a number"},
      {[&](const JsonObject& o) { return status(o.Time("text")); },
       "field 'text': 'Zoë' is not an RFC 3339 time"},
      {[&](const JsonObject& o) { return status(o.EpochMillis("at")); },
       "field 'at': expected an integer of epoch milliseconds, got a string"},
      {[&](const JsonObject& o) { return status(o.Object("list")); },
       "field 'list': expected an object, got an array"},
      {[&](const JsonObject& o) { return status(o.OptionalObjects("child")); },
       "field 'child': expected an array of objects, got an object"},
      {[&](const JsonObject& o) { return status(o.OptionalObjects("numbers")); },
       "field 'numbers[0]': expected an object, got a number"},
      {[&](const JsonObject& o) { return status(o.OptionalStrings("text")); },
       "field 'text': expected an array of strings, got a string"},
      {[&](const JsonObject& o) { return status(o.OptionalStrings("mixed")); },
       "field 'mixed[1]': expected a string, got a number"},
      {[&](const JsonObject& o) { return status(o.Object("child")->Integer("count")); },
       "field 'child.count': expected an integer, got a string"},
      {[&](const JsonObject& o) { return status(o.Word("text", "colour", kColours)); },
       "field 'text': unknown colour 'Zoë' (known: RED, GREEN)"},
  };
  const auto root = JsonObject::Root(kObject);
  for (const Case& c : cases) {
    const common::Status error = c.read(*root);
    EXPECT_EQ(error.code(), common::StatusCode::kInvalidArgument) << c.message;
    EXPECT_THAT(error.message(), ::testing::StartsWith(c.message));
  }
}

TEST(JsonObject, RootMustBeAnObject) {
  for (const auto& [payload, message] :
       {std::pair{json::array(), "expected a JSON object, got an array"},
        std::pair{json(), "expected a JSON object, got null"}}) {
    const auto root = JsonObject::Root(payload);
    ASSERT_FALSE(root.ok()) << payload.dump();
    EXPECT_EQ(root.status().code(), common::StatusCode::kInvalidArgument);
    EXPECT_EQ(root.status().message(), message);
  }
}

}  // namespace
}  // namespace leadline::common::json
