#include "common/time.h"

#include <gtest/gtest.h>

namespace leadline::common {
namespace {

TEST(Rfc3339, FormatsUtc) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1714564800), "2024-05-01T12:00:00Z");
}

TEST(Rfc3339, ParsesZuluOffsetsFractionsAndDates) {
  EXPECT_EQ(*ParseRfc3339("2024-05-01T12:00:00Z"), 1714564800);
  EXPECT_EQ(*ParseRfc3339("2024-05-01T14:00:00+02:00"), 1714564800);
  EXPECT_EQ(*ParseRfc3339("2024-05-01T07:30:00-04:30"), 1714564800);
  EXPECT_EQ(*ParseRfc3339("2024-05-01T12:00:00.987Z"), 1714564800);
  EXPECT_EQ(*ParseRfc3339("2024-05-01"), 1714521600);
  EXPECT_EQ(*ParseRfc3339("2024-02-29T00:00:00Z"), 1709164800);  // leap day
}

TEST(Rfc3339, RoundTrips) {
  for (UnixSeconds t : {UnixSeconds{0}, UnixSeconds{951782400}, UnixSeconds{1700000000}}) {
    EXPECT_EQ(*ParseRfc3339(FormatRfc3339(t)), t);
  }
}

TEST(Rfc3339, RejectsMalformedInputWithTheText) {
  for (const char* bad :
       {"", "2024", "2024-13-01", "2024-02-30", "2024-05-01T12:00:00", "2024-05-01T25:00:00Z",
        "2024-05-01T12:00Z", "yesterday", "2024-05-01T12:00:00Zjunk", "2024-05-01T12:00:00+2"}) {
    auto parsed = ParseRfc3339(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(std::string("'") + bad + "'"), std::string::npos);
  }
}

TEST(HumanDuration, ShowsTheTwoLargestUnits) {
  EXPECT_EQ(FormatHumanDuration(0), "0s");
  EXPECT_EQ(FormatHumanDuration(42), "42s");
  EXPECT_EQ(FormatHumanDuration(5 * kHour + 12 * kMinute + 9), "5h 12m");
  EXPECT_EQ(FormatHumanDuration(3 * kDay + 4 * kHour + 59 * kMinute), "3d 4h");
  EXPECT_EQ(FormatHumanDuration(2 * kDay + 30), "2d");  // a zero second unit is left out
  EXPECT_EQ(FormatHumanDuration(-90), "-1m 30s");
}

TEST(DurationFlag, ParsesUnits) {
  EXPECT_EQ(*ParseDurationFlag("90d"), 90 * kDay);
  EXPECT_EQ(*ParseDurationFlag("12h"), 12 * kHour);
  EXPECT_EQ(*ParseDurationFlag("2w"), 2 * kWeek);
  EXPECT_EQ(*ParseDurationFlag("30m"), 30 * kMinute);
  EXPECT_EQ(*ParseDurationFlag("45s"), 45);
}

TEST(DurationFlag, RejectsBadInput) {
  for (const char* bad : {"", "d", "90", "-5d", "0d", "5x", "5dd", "abc", "1.5d"}) {
    auto parsed = ParseDurationFlag(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find("90d"), std::string::npos)
        << parsed.status().message();
  }
}

TEST(DurationFlag, RefusesMoreThanTheLongest) {
  EXPECT_EQ(*ParseDurationFlag("36525d"), kLongestDurationFlag);
  EXPECT_EQ(*ParseDurationFlag("5217w"), 5217 * kWeek);
  for (const char* huge : {"36526d", "9999999999999d", "5218w", "9223372036854775807s",
                           "106751991167301d", "99999999999999999999999s"}) {
    auto parsed = ParseDurationFlag(huge);
    ASSERT_FALSE(parsed.ok()) << huge;
    EXPECT_EQ(parsed.status().message(),
              "'" + std::string(huge) + "' is too long (at most 36525d)");
  }
  // A caller's own limit.
  EXPECT_EQ(*ParseDurationFlag("2w", 14 * kDay), 14 * kDay);
  EXPECT_EQ(ParseDurationFlag("15d", 14 * kDay).status().message(),
            "'15d' is too long (at most 14d)");
}

}  // namespace
}  // namespace leadline::common
