#include "sources/pagerduty/incident_walk.h"

#include <gtest/gtest.h>

namespace leadline::sources::pagerduty {
namespace {

constexpr common::UnixSeconds kStart = 1735689600;  // 2025-01-01T00:00:00Z
constexpr common::UnixSeconds kYear = 365 * common::kDay;

TEST(IncidentWalkTest, AYearIsWalkedInWindowsOfAtMostSixMonths) {
  WalkPosition at = StartWalk(kStart, kStart + kYear);
  EXPECT_EQ(at, (WalkPosition{kStart, kStart + kMaxWindowSeconds, kStart + kYear, 0}));
  int windows = 1;
  for (;;) {
    EXPECT_LE(at.until - at.since, kMaxWindowSeconds);
    const auto next = NextPosition(at, {at.offset, kPageSize, false}, 0);
    ASSERT_TRUE(next.ok());
    if (!next->has_value()) break;
    EXPECT_EQ((*next)->since, at.until);  // windows meet: nothing falls between two
    at = **next;
    ++windows;
  }
  EXPECT_EQ(windows, 3);  // 180 + 180 + 5 days
  EXPECT_EQ(at.until, kStart + kYear);
}

TEST(IncidentWalkTest, PagesGoByOffsetAndAWindowBeyondThePagingIsNarrowed) {
  const WalkPosition at{kStart, kStart + common::kDay, kStart + common::kDay, 0};
  const auto second = NextPosition(at, {0, 100, true}, kStart + 60);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->offset, 100);
  // offset 9,900 + limit 100 is the last page PagerDuty serves: the window starts again at the
  // last creation time read.
  const WalkPosition last{kStart, kStart + common::kDay, kStart + common::kDay, 9900};
  const auto narrowed = NextPosition(last, {9900, 100, true}, kStart + 3600);
  ASSERT_TRUE(narrowed.ok() && narrowed->has_value());
  EXPECT_EQ(**narrowed,
            (WalkPosition{kStart + 3600, kStart + common::kDay, kStart + common::kDay, 0}));
  // Ten thousand incidents in the window's first second cannot be paged past.
  const auto stuck = NextPosition(last, {9900, 100, true}, kStart);
  EXPECT_FALSE(stuck.ok());
  EXPECT_NE(stuck.status().message().find("more than 10000 incidents"), std::string::npos);
}

TEST(IncidentWalkTest, CursorsRoundTripAndBadOnesAreRefused) {
  const WalkPosition at{kStart, kStart + 10, kStart + 20, 300};
  EXPECT_EQ(*DecodeWalk(EncodeWalk(at)), at);
  EXPECT_TRUE(IsInsideWalk(EncodeWalk(at)));
  EXPECT_FALSE(IsInsideWalk(EncodeWalkEnd(kStart)));
  EXPECT_EQ(DecodeWalkEnd(EncodeWalkEnd(kStart)), kStart);
  EXPECT_FALSE(DecodeWalkEnd(EncodeWalk(at)).has_value());
  EXPECT_FALSE(DecodeWalkEnd("after 12 13").has_value());
  EXPECT_FALSE(IsInsideWalk(""));
  for (const char* bad :
       {"walk", "walk 1 2 3", "walk 5 2 9 0", "walk 1 2 3 0 extra", "walk 0 99999999 99999999 0",
        "walk 1 2 3 -100", "walk 1 2 3 9950", "after 12"}) {
    const auto decoded = DecodeWalk(bad);
    EXPECT_FALSE(decoded.ok()) << bad;
    if (!decoded.ok()) {
      EXPECT_NE(decoded.status().message().find("--restart"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace leadline::sources::pagerduty
