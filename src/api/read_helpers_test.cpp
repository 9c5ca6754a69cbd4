#include "api/read_helpers.h"

#include <gtest/gtest.h>

namespace leadline::api {
namespace {

using nlohmann::ordered_json;

common::Result<Page> Parse(std::map<std::string, std::string> query) {
  HttpRequest request;
  request.query = std::move(query);
  return ParsePage(request);
}

TEST(ParsePageTest, TakesALimitUpToAHundredAndACursor) {
  const auto defaults = Parse({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->limit, 50u);
  EXPECT_EQ(defaults->offset, 0u);
  const auto page = Parse({{"limit", "100"}, {"cursor", "200"}});
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->limit, kMaxPageSize);
  EXPECT_EQ(page->offset, 200u);
}

TEST(ParsePageTest, RefusesALimitOutOfBoundsNamingTheBounds) {
  for (const char* limit : {"0", "101", "1000000", "99999999999999999999", "-1", "ten", ""}) {
    const auto page = Parse({{"limit", limit}});
    ASSERT_FALSE(page.ok()) << limit;
    EXPECT_EQ(page.status().message(), "limit: between 1 and 100") << limit;
  }
}

TEST(ParsePageTest, RefusesACursorThisApiDidNotGive) {
  for (const char* cursor : {"abc", "", "-5", "1e3", "10000000000", "99999999999999999999999"}) {
    const auto page = Parse({{"cursor", cursor}});
    ASSERT_FALSE(page.ok()) << cursor;
    EXPECT_EQ(page.status().message(),
              "cursor: not a cursor of this list; pass the previous page's `next` as it is")
        << cursor;
  }
}

TEST(PaginatedTest, MakesOnlyThePagesItems) {
  std::vector<std::size_t> made;
  const auto item = [&](std::size_t i) {
    made.push_back(i);
    return ordered_json(i);
  };
  const ordered_json first = Paginated(5, {0, 2}, item);
  EXPECT_EQ(first["items"], ordered_json::array({0, 1}));
  EXPECT_EQ(first["next"], "2");
  const ordered_json last = Paginated(5, {4, 2}, item);
  EXPECT_EQ(last["items"], ordered_json::array({4}));
  EXPECT_TRUE(last["next"].is_null());
  EXPECT_EQ(made, (std::vector<std::size_t>{0, 1, 4}));
  // A cursor past the end: an empty last page.
  const ordered_json past = Paginated(5, {999999999, 100}, item);
  EXPECT_TRUE(past["items"].empty());
  EXPECT_TRUE(past["next"].is_null());
}

}  // namespace
}  // namespace leadline::api
