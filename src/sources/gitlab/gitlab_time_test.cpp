#include "sources/gitlab/gitlab_time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace leadline::sources::gitlab {
namespace {

using common::json::JsonObject;

TEST(ParseGitLabTime, ReadsTheRestAndTheWebhookForms) {
  const common::UnixSeconds expected = *common::ParseRfc3339("2025-01-02T03:04:05Z");
  for (const char* text :
       {"2025-01-02T03:04:05.000Z", "2025-01-02T03:04:05Z", "2025-01-02T04:04:05.123+01:00",
        "2025-01-02 03:04:05 UTC", "2025-01-02 03:04:05 +0000", "2025-01-01 22:04:05 -0500"}) {
    const auto time = ParseGitLabTime(text);
    ASSERT_TRUE(time.ok()) << text << ": " << time.status().message();
    EXPECT_EQ(*time, expected) << text;
  }
}

TEST(ParseGitLabTime, RejectsOtherText) {
  for (const char* text : {"", "yesterday", "2025-01-02 03:04:05", "2025-01-02 03:04:05 CET",
                           "2025-01-02 03:04:05 +00", "2025-13-02 03:04:05 UTC"}) {
    const auto time = ParseGitLabTime(text);
    ASSERT_FALSE(time.ok()) << text;
    EXPECT_THAT(time.status().message(), ::testing::HasSubstr("is not a GitLab time")) << text;
  }
}

TEST(TimeAt, NamesTheFieldOfABadTime) {
  const nlohmann::json payload = {
      {"created_at", "2025-01-02 03:04:05 CET"}, {"merged_at", nullptr}, {"closed_at", 7}};
  const auto object = JsonObject::Root(payload);
  ASSERT_TRUE(object.ok());
  EXPECT_THAT(TimeAt(*object, "created_at").status().message(),
              ::testing::StartsWith("field 'created_at': '2025-01-02 03:04:05 CET' is not a GitLab "
                                    "time"));
  EXPECT_EQ(TimeAt(*object, "merged_at").status().message(),
            "field 'merged_at': expected a string, got null");
  EXPECT_FALSE(OptionalTimeAt(*object, "merged_at")->has_value());
  EXPECT_FALSE(OptionalTimeAt(*object, "updated_at")->has_value());
  EXPECT_EQ(OptionalTimeAt(*object, "closed_at").status().message(),
            "field 'closed_at': expected a string, got a number");
}

}  // namespace
}  // namespace leadline::sources::gitlab
