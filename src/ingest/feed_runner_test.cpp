#include "ingest/feed_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>

#include "http/testing_fakes.h"
#include "ingest/connected_store_test.h"

namespace leadline::ingest {
namespace {

// A feed over "<base>?from=<cursor>": each answer's body is "<rows> <next cursor> <more>", where
// rows pipelines (or deployments) "p<n>" are stored; `more` says whether another page follows.
class ScriptedFeed final : public sources::Feed {
 public:
  ScriptedFeed(std::string name, sources::FeedKind kind, std::string follows = "")
      : name_(std::move(name)), kind_(kind), follows_(std::move(follows)) {}
  std::string_view name() const override { return name_; }
  sources::FeedKind kind() const override { return kind_; }
  std::string_view follows() const override { return follows_; }
  common::Result<std::optional<http::HttpRequest>> First(const sources::RepositoryView&,
                                                         const std::string& cursor,
                                                         common::UnixSeconds) override {
    return std::optional(At(cursor));
  }
  common::Result<sources::FeedPage> Read(const http::HttpResponse& response,
                                         const http::HttpRequest&, const std::string&) override {
    std::istringstream in(response.body);
    int rows = 0;
    std::string cursor;
    int more = 0;
    in >> rows >> cursor >> more;
    sources::FeedPage page;
    for (int i = 0; i < rows; ++i) {
      const std::string id = name_ + "-" + cursor + "-" + std::to_string(i);
      if (kind_ == sources::FeedKind::kPipelines) {
        model::Pipeline p;
        p.uuid = id;
        p.created_at = 100;
        page.rows.pipelines.push_back(p);
      } else {
        model::PlatformDeployment d;
        d.provider = model::Provider::kGitLab;
        d.uuid = id;
        page.rows.deployments.push_back(d);
      }
    }
    page.cursor = cursor;
    if (more) page.next = At(cursor);
    return page;
  }
  http::HttpRequest At(const std::string& cursor) const {
    http::HttpRequest request;
    request.url = "https://gl.example/" + name_ + "?from=" + cursor;
    return request;
  }

 private:
  std::string name_;
  sources::FeedKind kind_;
  std::string follows_;
};

class FeedRunnerTest : public ConnectedStoreTest {
 protected:
  common::Result<RepositorySyncCounts> Sync() {
    const model::Repository repo =
        **store_->repositories().FindRepository("bitbucket-cloud", "acme/api");
    sources::ConnectionSettings settings;
    const SyncTarget target{*store_, client_, settings, repo, 0, {}, "", {}};
    sources::Feeds feeds;
    feeds.push_back(std::make_unique<ScriptedFeed>("pipelines", sources::FeedKind::kPipelines));
    feeds.push_back(std::make_unique<ScriptedFeed>("deployments", sources::FeedKind::kDeployments,
                                                   "pipelines"));
    return RunRepositoryFeeds(target, feeds);
  }
  int Sent(const std::string& feed) const {
    return static_cast<int>(std::count_if(
        client_.sent.begin(), client_.sent.end(),
        [&](const std::string& url) { return url.find("/" + feed + "?") != std::string::npos; }));
  }
  http::testing::ScriptedClient client_;
};

TEST_F(FeedRunnerTest, AFollowingFeedRunsOnlyWhenWhatItFollowsChanged) {
  // Answers in the order they are asked for (the script's last answer for a URL repeats).
  client_.Answer("https://gl.example/pipelines?from=", 200, "2 a 0");
  client_.Answer("https://gl.example/deployments?from=", 200, "1 x 0");
  client_.Answer("https://gl.example/pipelines?from=a", 200, "0 a 0");
  client_.Answer("https://gl.example/pipelines?from=a", 200, "1 b 0");
  client_.Answer("https://gl.example/deployments?from=x", 200, "1 y 0");
  ASSERT_TRUE(Sync().ok());
  EXPECT_EQ(Sent("deployments"), 1);  // the first walk always runs
  ASSERT_TRUE(Sync().ok());
  EXPECT_EQ(Sent("pipelines"), 2);
  EXPECT_EQ(Sent("deployments"), 1);  // no pipeline changed: not asked
  ASSERT_TRUE(Sync().ok());
  EXPECT_EQ(Sent("deployments"), 2);  // a pipeline changed: asked again
}

TEST_F(FeedRunnerTest, ASyncCutAfterTheChangeStillRunsTheFollowerNextTime) {
  client_.Answer("https://gl.example/pipelines?from=", 200, "1 a 0");
  client_.Answer("https://gl.example/deployments?from=", 200, "1 x 0");
  // The second sync: pipelines change, then the deployments' request fails, ending the sync.
  client_.Answer("https://gl.example/pipelines?from=a", 200, "1 b 0");
  client_.Answer("https://gl.example/deployments?from=x", 503, "down");
  // The third sync sees no new pipeline, yet the deployments are still due.
  client_.Answer("https://gl.example/pipelines?from=b", 200, "0 b 0");
  client_.Answer("https://gl.example/deployments?from=x", 200, "1 y 0");
  ASSERT_TRUE(Sync().ok());
  EXPECT_FALSE(Sync().ok());
  ASSERT_TRUE(Sync().ok());
  EXPECT_EQ(Sent("deployments"), 3);
  const auto repo = *store_->repositories().FindRepository("bitbucket-cloud", "acme/api");
  EXPECT_EQ(store_->pipelines().LoadPlatformDeployments(repo->id)->size(), 2u);
}

// A store synced before the deployments followed anything has their cursor but no mark of
// whether they are due: they are read once, then follow as usual.
TEST_F(FeedRunnerTest, AFollowerWithoutADueMarkIsReadOnce) {
  const auto repo = *store_->repositories().FindRepository("bitbucket-cloud", "acme/api");
  ASSERT_TRUE(store_->cursors().SaveCursor(repo->id, "pipelines", "a").ok());
  ASSERT_TRUE(store_->cursors().SaveCursor(repo->id, "deployments", "x").ok());
  client_.Answer("https://gl.example/pipelines?from=a", 200, "0 a 0");
  client_.Answer("https://gl.example/deployments?from=x", 200, "1 y 0");
  const auto first = Sync();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(Sent("deployments"), 1);
  EXPECT_FALSE(first->deployments_skipped);
  const auto second = Sync();
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(Sent("deployments"), 1);  // no pipeline changed since
  EXPECT_TRUE(second->deployments_skipped);
}

TEST_F(FeedRunnerTest, EachPageIsCommittedWithItsCursor) {
  client_.Answer("https://gl.example/pipelines?from=", 200, "2 a 1");
  client_.Answer("https://gl.example/pipelines?from=a", 200, "2 b 1");
  client_.Answer("https://gl.example/pipelines?from=b", 500, "broken");
  client_.Answer("https://gl.example/pipelines?from=b", 200, "1 c 0");
  client_.Answer("https://gl.example/deployments?from=", 200, "0 x 0");
  EXPECT_FALSE(Sync().ok());
  const auto repo = *store_->repositories().FindRepository("bitbucket-cloud", "acme/api");
  EXPECT_EQ(*store_->cursors().LoadCursor(repo->id, "pipelines"), "b");
  EXPECT_EQ(store_->pipelines().LoadPipelines(repo->id)->size(), 4u);
  // The resumed walk asks for the page it stopped at, and nothing before it.
  ASSERT_TRUE(Sync().ok());
  EXPECT_EQ(Sent("pipelines"), 4);
  EXPECT_EQ(store_->pipelines().LoadPipelines(repo->id)->size(), 5u);
}

// One page naming `details` listings ("https://gl.example/notes/<i>"), each of one pipeline row.
class DetailedFeed final : public sources::Feed {
 public:
  explicit DetailedFeed(int details) : details_(details) {}
  std::string_view name() const override { return "merge_requests"; }
  sources::FeedKind kind() const override { return sources::FeedKind::kPullRequests; }
  common::Result<std::optional<http::HttpRequest>> First(const sources::RepositoryView&,
                                                         const std::string&,
                                                         common::UnixSeconds) override {
    http::HttpRequest request;
    request.url = "https://gl.example/mrs";
    return std::optional(request);
  }
  common::Result<sources::FeedPage> Read(const http::HttpResponse&, const http::HttpRequest&,
                                         const std::string&) override {
    sources::FeedPage page;
    page.cursor = "done";
    for (int i = 0; i < details_; ++i) {
      sources::FeedDetail detail;
      detail.first.url = "https://gl.example/notes/" + std::to_string(i);
      detail.read = [](const http::HttpResponse& response,
                       const std::string&) -> common::Result<sources::FeedDetail::Page> {
        sources::FeedDetail::Page out;
        model::Pipeline p;
        p.uuid = response.body;
        p.created_at = 100;
        out.rows.pipelines.push_back(p);
        return out;
      };
      page.details.push_back(std::move(detail));
    }
    return page;
  }

 private:
  int details_;
};

// Answers every URL with its last path segment, the earlier ones more slowly (so they finish
// last), "fail" with a 500; counts the requests under way at once.
class SlowClient final : public http::HttpClient {
 public:
  explicit SlowClient(std::string fail = "") : fail_(std::move(fail)) {}
  common::Result<http::HttpResponse> Send(const http::HttpRequest& request) override {
    const int now = ++in_flight_;
    for (int seen = most_in_flight_;
         now > seen && !most_in_flight_.compare_exchange_weak(seen, now);) {
    }
    const std::string last = request.url.substr(request.url.rfind('/') + 1);
    if (last != "mrs") {
      std::this_thread::sleep_for(std::chrono::milliseconds(5 * (10 - std::stoi(last))));
    }
    http::HttpResponse response;
    response.status = last == fail_ ? 500 : 200;
    response.body = last;
    ++sent_;
    --in_flight_;
    return response;
  }
  int most_in_flight() const { return most_in_flight_; }
  int sent() const { return sent_; }

 private:
  std::string fail_;
  std::atomic<int> in_flight_ = 0, most_in_flight_ = 0, sent_ = 0;
};

TEST_F(FeedRunnerTest, APagesDetailsAreFetchedFourAtATimeAndAllLand) {
  const model::Repository repo =
      **store_->repositories().FindRepository("bitbucket-cloud", "acme/api");
  sources::ConnectionSettings settings;
  SlowClient client;
  const SyncTarget target{*store_, client, settings, repo, 0, {}, "", {}};
  DetailedFeed detailed(10);
  const auto counts = RunFeed(target, detailed);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(client.sent(), 11);
  EXPECT_EQ(client.most_in_flight(), 4);
  EXPECT_EQ(counts->pages, 11);
  const auto stored = store_->pipelines().LoadPipelines(repo.id);
  ASSERT_EQ(stored->size(), 10u);
  EXPECT_EQ(*store_->cursors().LoadCursor(repo.id, "merge_requests"), "done");
}

TEST_F(FeedRunnerTest, AFailedDetailStoresNothingOfItsPage) {
  const model::Repository repo =
      **store_->repositories().FindRepository("bitbucket-cloud", "acme/api");
  sources::ConnectionSettings settings;
  SlowClient client("3");
  const SyncTarget target{*store_, client, settings, repo, 0, {}, "", {}};
  DetailedFeed detailed(10);
  const auto counts = RunFeed(target, detailed);
  ASSERT_FALSE(counts.ok());
  EXPECT_NE(counts.status().message().find("https://gl.example/notes/3"), std::string::npos)
      << counts.status().message();
  EXPECT_TRUE(store_->pipelines().LoadPipelines(repo.id)->empty());
  EXPECT_EQ(*store_->cursors().LoadCursor(repo.id, "merge_requests"), "");
}

}  // namespace
}  // namespace leadline::ingest
