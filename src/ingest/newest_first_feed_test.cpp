// The newest-first walk (sources/contract/newest_first.h) as Bitbucket's feeds run it
// (sources/bitbucket/newest_first_feed.h), through ingest's feed runner.
#include "sources/bitbucket/newest_first_feed.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/testing_fakes.h"
#include "ingest/feed_runner.h"
#include "testing/git_script.h"

namespace leadline::ingest {
namespace {

using nlohmann::json;

constexpr char kFirst[] = "https://api.example/2.0/things?pagelen=2";
constexpr char kSecond[] = "https://api.example/2.0/things?ctx=two";
constexpr char kEntity[] = "things";

// A page of rows {"at": t, "open": bool}, newest first.
std::string Page(std::vector<std::pair<int, bool>> rows, const std::string& next = "") {
  json values = json::array();
  for (const auto& [at, open] : rows) values.push_back({{"at", at}, {"open", open}});
  json page = {{"values", values}};
  if (!next.empty()) page["next"] = next;
  return page.dump();
}

// Rows {"at": t, "open": bool}: only their times, for the walk (nothing is stored of them).
class ThingFeed final : public sources::bitbucket::NewestFirstFeed {
 public:
  ThingFeed()
      : NewestFirstFeed(kEntity, "things", sources::FeedKind::kPipelines,
                        http::PageStyle::kBitbucketCloud, Get(kFirst), /*from_since=*/true,
                        /*check_order=*/false) {}

 private:
  static http::HttpRequest Get(const char* url) {
    http::HttpRequest request;
    request.url = url;
    return request;
  }
  common::Result<sources::PageRows> ReadRows(const json& values, const std::string&,
                                             sources::FeedPage&) override {
    sources::PageRows rows;
    for (const json& row : values) rows.Saw(row["at"].get<int>(), row["open"].get<bool>());
    return rows;
  }
};

class WalkTest : public ::testing::Test {
 protected:
  WalkTest() {
    store_ = std::move(store::OpenStore(dir_.Child("leadline.db"))).value();
    repo_.id = *store_->repositories().UpsertRepository(repo_);
  }

  common::Result<SyncCounts> Walk(common::UnixSeconds since = 0) {
    ThingFeed feed;
    return RunFeed({*store_, client_, settings_, repo_, since, {}, "", {}}, feed);
  }
  common::UnixSeconds Mark() {
    return *sources::NewestFirstWalk::Mark(*store_->cursors().LoadCursor(repo_.id, kEntity),
                                           kEntity);
  }

  leadline::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  model::Repository repo_{0, "bitbucket-cloud", "acme/api", "api", "main", 0, false, ""};
  sources::ConnectionSettings settings_;
  http::testing::ScriptedClient client_;
};

TEST_F(WalkTest, StopsAtTheFirstPageBelowTheMark) {
  client_.Answer(kFirst, 200, Page({{50, false}, {40, false}}, kSecond));
  client_.Answer(kSecond, 200, Page({{30, false}, {20, false}}));
  ASSERT_TRUE(Walk().ok());
  EXPECT_EQ(Mark(), 50);

  client_ = http::testing::ScriptedClient();
  client_.Answer(kFirst, 200, Page({{60, false}, {50, false}, {45, false}}, kSecond));
  auto again = Walk();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(client_.sent.size(), 1u);  // page one went below the mark
  EXPECT_EQ(Mark(), 60);
}

TEST_F(WalkTest, SinceBoundsTheFirstWalk) {
  client_.Answer(kFirst, 200, Page({{50, false}, {40, false}}, kSecond));
  client_.Answer(kSecond, 200, Page({{30, false}, {20, false}}));
  ASSERT_TRUE(Walk(/*since=*/45).ok());
  EXPECT_EQ(client_.sent.size(), 1u);
}

TEST_F(WalkTest, AnUnfinishedRowHoldsTheMarkBack) {
  client_.Answer(kFirst, 200, Page({{50, false}, {40, true}}, kSecond));
  client_.Answer(kSecond, 200, Page({{30, false}, {20, false}}));
  ASSERT_TRUE(Walk().ok());
  EXPECT_EQ(Mark(), 40);
}

TEST_F(WalkTest, AFailedPageLeavesACursorAtItAndAStaleCursorRestartsTheWalk) {
  client_.Answer(kFirst, 200, Page({{50, false}, {40, false}}, kSecond));
  client_.Answer(kSecond, 500, "");
  ASSERT_FALSE(Walk().ok());
  const std::string cursor = *store_->cursors().LoadCursor(repo_.id, kEntity);
  EXPECT_NE(cursor.find(kSecond), std::string::npos) << cursor;

  // The host forgot the cursor: the walk starts again from the newest page.
  client_ = http::testing::ScriptedClient();
  client_.Answer(kSecond, 404, R"({"type":"error","error":{"message":"Invalid ctx"}})");
  client_.Answer(kFirst, 200, Page({{50, false}, {40, false}}));
  ASSERT_TRUE(Walk().ok());
  EXPECT_EQ(client_.sent, (std::vector<std::string>{kSecond, kFirst}));
  EXPECT_EQ(Mark(), 50);
}

TEST_F(WalkTest, AnUnreadableCursorIsAnError) {
  ASSERT_TRUE(store_->cursors().SaveCursor(repo_.id, kEntity, "yesterday").ok());
  auto walked = Walk();
  ASSERT_FALSE(walked.ok());
  EXPECT_NE(walked.status().message().find("sync cursor of things"), std::string::npos);
}

}  // namespace
}  // namespace leadline::ingest
