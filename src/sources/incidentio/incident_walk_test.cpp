#include "sources/incidentio/incident_walk.h"

#include <gtest/gtest.h>

namespace leadline::sources::incidentio {
namespace {

constexpr common::UnixSeconds kJan2 = 1735776000;  // 2025-01-02T00:00:00Z

TEST(IncidentIoWalkTest, CursorsRoundTripAndTellInsideFromAfter) {
  const WalkPosition first{kJan2 + 3600, kJan2 + 7200, ""};
  EXPECT_EQ(EncodeWalk(first), "walk 1735779600 1735783200 -");
  EXPECT_EQ(*DecodeWalk(EncodeWalk(first)), first);
  const WalkPosition later{kJan2, kJan2 + 7200, "01FCNDV6P870EA6S7TK1DSYDG0"};
  EXPECT_EQ(*DecodeWalk(EncodeWalk(later)), later);
  EXPECT_TRUE(IsInsideWalk(EncodeWalk(later)));
  EXPECT_FALSE(IsInsideWalk(EncodeWalkEnd(kJan2)));
  EXPECT_EQ(DecodeWalkEnd(EncodeWalkEnd(kJan2)), kJan2);
  EXPECT_FALSE(DecodeWalkEnd(EncodeWalk(later)).has_value());
  for (const char* bad : {"", "walk 1 2", "walk 2 1 -", "walk 1 2 - x", "after 5",
                          "walk 1 2 01A 01B", "walk -1 2 -"}) {
    EXPECT_FALSE(DecodeWalk(bad).ok()) << bad;
  }
  EXPECT_NE(DecodeWalk("walk 9").status().message().find("--restart"), std::string::npos);
}

TEST(IncidentIoWalkTest, PathsFilterByUpdateDayAndFollowTheAfterCursor) {
  EXPECT_EQ(IncidentsPath({kJan2 + 3600, kJan2 + 7200, ""}),
            "/v2/incidents?page_size=100&sort_by=created_at_oldest_first&"
            "updated_at%5Bgte%5D=2025-01-02");
  EXPECT_EQ(IncidentsPath({kJan2, kJan2, "01FC"}),
            "/v2/incidents?page_size=100&sort_by=created_at_oldest_first&"
            "updated_at%5Bgte%5D=2025-01-02&after=01FC");
}

TEST(IncidentIoWalkTest, NextPositionEndsWithoutAfterAndRefusesALoop) {
  const WalkPosition at{kJan2, kJan2 + 10, "01A"};
  EXPECT_FALSE(NextPosition(at, "")->has_value());
  const auto next = NextPosition(at, "01B");
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->token, "01B");
  EXPECT_EQ((*next)->end, kJan2 + 10);
  EXPECT_FALSE(NextPosition(at, "01A").ok());
  EXPECT_FALSE(NextPosition(at, "has space").ok());
}

}  // namespace
}  // namespace leadline::sources::incidentio
