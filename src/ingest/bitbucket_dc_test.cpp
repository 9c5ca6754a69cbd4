// Bitbucket Data Center's feeds (sources/bitbucket/dc_feeds.h) against the double, as a sync runs
// them.
#include <gtest/gtest.h>

#include <set>

#include "bitbucket_double/bitbucket_double.h"
#include "bitbucket_double/cloud_workspace.h"
#include "http/curl_http_client.h"
#include "ingest/feed_runner.h"
#include "ingest/repository_sync.h"
#include "sources/bitbucket/bitbucket_connector.h"
#include "sources/bitbucket/dc_feeds.h"
#include "testing/double_sync_fixture.h"

namespace leadline::ingest {
namespace {

class DcSyncTest : public leadline::testing::DoubleSyncTest {
 protected:
  DcSyncTest() {
    config_.pull_requests_per_repo = 120;
    config_.pipelines_per_repo = 8;
    config_.dc_context_path = "/bitbucket";
    StartDouble("bitbucket-dc");
    settings_ = {model::Provider::kBitbucketDataCenter,
                 bitbucket_->dc_url(),
                 "",
                 model::AuthMethod::kHttpAccessToken,
                 "",
                 config_.dc_token};
  }

  SyncTarget Target() {
    return {*store_, client_, settings_, repo_, 0, {}, dir_.Child("mirror.git"), {}};
  }
  // The whole sync of the repository, as `leadline sync` runs it.
  common::Result<RepositorySyncCounts> SyncDcRepository(const SyncTarget& target) {
    return SyncRepository(
        target, sources::bitbucket::BitbucketConnector(model::Provider::kBitbucketDataCenter));
  }
  // The pull request feed alone.
  common::Result<SyncCounts> SyncDcPullRequests(const SyncTarget& target) {
    sources::Feeds feeds = sources::bitbucket::DcRepositoryFeeds(target.settings, repo_);
    return RunFeed(target, *feeds.front());
  }
  int Requests(const std::string& fragment) const { return bitbucket_->requests_to(fragment); }
  // Pages of the pull request list (the double counts paths, without their queries).
  int PullRequestPages() const { return Requests("/pull-requests") - Requests("/activities"); }

  sources::ConnectionSettings settings_;
  http::CurlHttpClient client_;
};

TEST_F(DcSyncTest, BackfillsHistoryPullRequestsActivitiesAndBuildsThenOnlyWhatChanged) {
  auto first = SyncDcRepository(Target());
  ASSERT_TRUE(first.ok()) << first.status().message();
  // Cloud's 125 (see mirror_sync_test.cpp), and the source commits of the 20 squashed and the 16
  // declined pull requests, whose branches were deleted: Data Center keeps their
  // refs/pull-requests/<n>/from.
  EXPECT_EQ(first->commits.new_commits, 125 + 20 + 16);
  EXPECT_EQ(first->pull_requests.received, 120);
  EXPECT_EQ(first->pull_requests.pages, 2);  // 100 a page
  // One request per pull request for its activities; the same events as Cloud's stream.
  EXPECT_EQ(Requests("/activities"), 120);
  EXPECT_EQ(first->activity.changed, static_cast<std::int64_t>(bitbucket_->activity_entries()));
  EXPECT_EQ(store_->pull_requests().LoadPullRequestActivity(repo_.id)->size(),
            bitbucket_->activity_entries());

  const auto pull_requests = *store_->pull_requests().LoadPullRequests(repo_.id);
  ASSERT_EQ(pull_requests.size(), 120u);
  const auto shas = *store_->history().LoadCommitShas(repo_.id);
  const std::set<std::string> stored(shas.begin(), shas.end());
  for (const model::PullRequest& pr : pull_requests) {
    if (pr.state != model::PullRequestState::kMerged) continue;
    ASSERT_TRUE(pr.merge_commit.has_value()) << pr.number;
    EXPECT_EQ(pr.merge_commit->size(), 40u);  // Data Center names full hashes
    EXPECT_TRUE(stored.contains(*pr.merge_commit)) << pr.number;
  }
  for (const model::PullRequest& pr : pull_requests) {
    EXPECT_TRUE(stored.contains(pr.source_commit)) << pr.number;
  }
  // Not as branches: main and the 64 open pull requests' branches.
  EXPECT_EQ(store_->history().LoadRefs(repo_.id)->size(), 65u);

  // Eight builds, one a pipeline of the Cloud workspace; the last still running.
  const auto builds = *store_->pipelines().LoadPipelines(repo_.id);
  ASSERT_EQ(builds.size(), 8u);
  int running = 0;
  for (const model::Pipeline& build : builds) {
    EXPECT_TRUE(stored.contains(build.commit_sha)) << build.uuid;
    running += build.state == model::PipelineState::kInProgress ? 1 : 0;
  }
  EXPECT_EQ(running, 1);
  EXPECT_EQ(first->pipelines.received, 8);

  const int pages_before = PullRequestPages();
  const int api_before = bitbucket_->requests() - Requests(".git/");
  auto again = SyncDcRepository(Target());
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(PullRequestPages() - pages_before, 1);  // the newest page reaches the mark
  // That page, and the builds of the commit whose build was still running.
  EXPECT_EQ(bitbucket_->requests() - Requests(".git/") - api_before, 2);
  EXPECT_EQ(Requests("/activities"), 120);  // no pull request changed
  EXPECT_EQ(again->Total().changed, 0);

  bitbucket_->AddPullRequests(5);
  auto grown = SyncDcRepository(Target());
  ASSERT_TRUE(grown.ok()) << grown.status().message();
  // 121..125: 123 lands, 125 is declined; each one's own commit comes, through a branch or its
  // pull request ref, and 123's landing commit.
  EXPECT_EQ(grown->commits.new_commits, 5 + 1);
  EXPECT_EQ(Requests("/activities"), 125);  // only the new ones
  EXPECT_EQ(store_->pull_requests().LoadPullRequests(repo_.id)->size(), 125u);
  EXPECT_EQ(store_->pull_requests().LoadPullRequestActivity(repo_.id)->size(),
            bitbucket_->activity_entries());
}

TEST_F(DcSyncTest, AnInterruptedWalkResumesWithoutFetchingActivitiesTwice) {
  // The first page of pull requests and its 100 activity requests pass; the second page fails.
  ASSERT_TRUE(SyncTargetMirror(Target(), sources::bitbucket::BitbucketConnector(
                                             model::Provider::kBitbucketDataCenter)
                                             .MirrorRefs())
                  .ok());
  bitbucket_->FailNext(1, 500, /*pass_first=*/101);
  auto interrupted = SyncDcPullRequests(Target());
  ASSERT_FALSE(interrupted.ok());
  EXPECT_NE(interrupted.status().message().find("pull requests of PROJ/repo-1"), std::string::npos)
      << interrupted.status().message();
  EXPECT_EQ(store_->pull_requests().LoadPullRequests(repo_.id)->size(), 100u);

  auto resumed = SyncDcPullRequests(Target());
  ASSERT_TRUE(resumed.ok()) << resumed.status().message();
  EXPECT_EQ(Requests("/activities"), 120);  // 100, then the other 20
  EXPECT_EQ(store_->pull_requests().LoadPullRequests(repo_.id)->size(), 120u);
  EXPECT_EQ(store_->pull_requests().LoadPullRequestActivity(repo_.id)->size(),
            bitbucket_->activity_entries());
}

// The list is most recently updated first: a pull request updated while it is paged moves to its
// head, already read, and this walk misses it; rows above its old place shift by one, so a page
// repeats a row and skips none. The update is newer than anything the walk saw, so the next sync,
// which reads down to that, finds it: nothing is lost for good.
TEST_F(DcSyncTest, APullRequestUpdatedBetweenPagesIsReadByTheNextSync) {
  const std::int64_t later = leadline::testing::PullRequestUpdatedOn({}, 120) + 3600;
  bitbucket_->ChangeBefore("/pull-requests", 2, [this, later] {
    bitbucket_->PublishComments(7, 1, later);  // on the second page until then
  });
  auto first = SyncDcPullRequests(Target());
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto stored = *store_->pull_requests().LoadPullRequests(repo_.id);
  EXPECT_EQ(stored.size(), 119u);  // all but pull request 7

  auto next = SyncDcPullRequests(Target());
  ASSERT_TRUE(next.ok()) << next.status().message();
  stored = *store_->pull_requests().LoadPullRequests(repo_.id);
  ASSERT_EQ(stored.size(), 120u);
  EXPECT_EQ(stored[6].number, 7);
  EXPECT_EQ(stored[6].updated_at, later);
  std::int64_t comments = 0;
  const auto activity = *store_->pull_requests().LoadPullRequestActivity(repo_.id);
  for (const auto& entry : activity) {
    comments += entry.pr_number == 7 && entry.at == later ? 1 : 0;
  }
  EXPECT_EQ(comments, 1);
}

TEST_F(DcSyncTest, WrongTokenIsNamed) {
  settings_.secret = "not-the-token";
  auto refused = SyncDcPullRequests(Target());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), common::StatusCode::kUnauthenticated)
      << refused.status().message();
  EXPECT_EQ(refused.status().message().find("not-the-token"), std::string::npos);
}

}  // namespace
}  // namespace leadline::ingest
