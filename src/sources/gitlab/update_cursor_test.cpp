#include "sources/gitlab/update_cursor.h"

#include <gtest/gtest.h>

namespace leadline::sources::gitlab {
namespace {

TEST(UpdateCursorTest, ReadsBackWhatItWrote) {
  UpdateCursor cursor;
  cursor.Advance("2026-01-05T10:00:00.123Z", 7);
  cursor.Advance("2026-01-05T10:00:00.123Z", 3);
  EXPECT_EQ(cursor.Format(), "2026-01-05T10:00:00.123Z 3,7");
  const UpdateCursor read = UpdateCursor::Parse(cursor.Format());
  EXPECT_EQ(read.time, "2026-01-05T10:00:00.123Z");
  EXPECT_EQ(read.ids, (std::set<std::int64_t>{3, 7}));
}

TEST(UpdateCursorTest, ANewerTimeForgetsTheIdsOfTheOlderOne) {
  UpdateCursor cursor = UpdateCursor::Parse("2026-01-05T10:00:00.123Z 3,7");
  cursor.Advance("2026-01-05T10:00:00.124Z", 9);
  EXPECT_EQ(cursor.Format(), "2026-01-05T10:00:00.124Z 9");
  cursor.Advance("2026-01-05T09:00:00.000Z", 1);  // older: read again, changes nothing
  EXPECT_EQ(cursor.Format(), "2026-01-05T10:00:00.124Z 9");
}

TEST(UpdateCursorTest, HoldsOnlyTheIdsAtItsTime) {
  const UpdateCursor cursor = UpdateCursor::Parse("2026-01-05T10:00:00.123Z 3,7");
  EXPECT_TRUE(cursor.Holds("2026-01-05T10:00:00.123Z", 7));
  EXPECT_FALSE(cursor.Holds("2026-01-05T10:00:00.123Z", 8));  // a new row of the same time
  EXPECT_FALSE(cursor.Holds("2026-01-05T10:00:01.000Z", 7));  // updated again since
}

TEST(UpdateCursorTest, AnEmptyOrTimeOnlyCursorHoldsNothing) {
  EXPECT_TRUE(UpdateCursor::Parse("").time.empty());
  const UpdateCursor since = UpdateCursor::Parse("2026-01-01T00:00:00.000Z");
  EXPECT_EQ(since.time, "2026-01-01T00:00:00.000Z");
  EXPECT_TRUE(since.ids.empty());
  EXPECT_FALSE(since.Holds("2026-01-01T00:00:00.000Z", 1));
}

}  // namespace
}  // namespace leadline::sources::gitlab
