#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "bitbucket_double/bitbucket_double.h"
#include "bitbucket_double/cloud_workspace.h"
#include "http/curl_http_client.h"
#include "http/pager.h"
#include "http/retrying_http_client.h"
#include "http/testing_fakes.h"
#include "ingest/branch_commits.h"
#include "ingest/feed_runner.h"
#include "ingest/repository_sync.h"
#include "sources/bitbucket/bitbucket_connector.h"
#include "sources/bitbucket/cloud_feeds.h"
#include "sources/bitbucket/cloud_fields.h"
#include "testing/double_sync_fixture.h"

namespace leadline::ingest {
namespace {

using leadline::testing::BitbucketDouble;
using leadline::testing::BitbucketDoubleConfig;
using leadline::testing::TempDir;
using sources::ConnectionSettings;

// Runs the Cloud feed `name` (sources/bitbucket/cloud_feeds.h) alone, as a sync runs it when what
// it follows has changed.
common::Result<SyncCounts> RunCloudFeed(const SyncTarget& target, std::string_view name) {
  sources::Feeds feeds =
      sources::bitbucket::CloudRepositoryFeeds(target.settings, target.repository);
  for (const auto& feed : feeds) {
    if (feed->name() != name) continue;
    std::vector<std::string> followers;
    for (const auto& other : feeds) {
      if (other->follows() == name) followers.emplace_back(other->name());
    }
    const common::Status due =
        target.store.cursors().SaveCursor(target.repository.id, std::string(name) + ".due", "1");
    if (!due.ok()) return due;
    return RunFeed(target, *feed, followers);
  }
  return common::Status::NotFound("no Cloud feed " + std::string(name));
}

// The whole sync of a Cloud repository, as `leadline sync` runs it.
common::Result<RepositorySyncCounts> SyncCloudRepository(const SyncTarget& target) {
  return SyncRepository(target,
                        sources::bitbucket::BitbucketConnector(model::Provider::kBitbucketCloud));
}

class CloudSyncTest : public leadline::testing::DoubleSyncTest {
 protected:
  CloudSyncTest() {
    config_.pull_requests_per_repo = 120;
    config_.pipelines_per_repo = 130;
    config_.deployments_per_repo = 12;
    StartDouble("bitbucket-cloud");
    settings_ = {model::Provider::kBitbucketCloud,
                 bitbucket_->cloud_api_url(),
                 "acme",
                 model::AuthMethod::kApiToken,
                 config_.email,
                 config_.api_token};
  }

  SyncTarget Target() { return {*store_, client_, settings_, repo_, 0, {}, "", {}}; }
  common::Result<SyncCounts> Sync() { return RunCloudFeed(Target(), "pull_requests"); }

  // What the double serves as the repository's activity stream.
  std::size_t ActivityEntries() { return bitbucket_->activity_entries(); }

  ConnectionSettings settings_;
  http::CurlHttpClient client_;
};

TEST_F(CloudSyncTest, BackfillsEveryStateOnceAndThenOnlyWhatChanged) {
  auto first = Sync();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->pages, 3);  // 120 pull requests, 50 a page
  EXPECT_EQ(first->received, 120);
  EXPECT_EQ(first->changed, 120);
  const auto stored = *store_->pull_requests().LoadPullRequests(repo_.id);
  ASSERT_EQ(stored.size(), 120u);
  EXPECT_EQ(stored[2].state, model::PullRequestState::kMerged);    // #3: every third is merged
  EXPECT_EQ(stored[2].merge_commit->size(), 12u);                  // Cloud's abbreviated hash
  EXPECT_EQ(stored[4].state, model::PullRequestState::kDeclined);  // #5
  EXPECT_EQ(stored[0].state, model::PullRequestState::kOpen);
  // Pull request 120 was updated at 2026-01-01T00:00Z + 120 h + 30 min.
  EXPECT_EQ(*store_->cursors().LoadCursor(repo_.id, "pull_requests"), "2026-01-06T00:30:00Z");

  const int before = bitbucket_->requests();
  auto again = Sync();
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(bitbucket_->requests() - before, 1);  // one page from the cursor
  EXPECT_EQ(again->received, 1);                  // the newest again (>=), unchanged
  EXPECT_EQ(again->changed, 0);
}

TEST_F(CloudSyncTest, AnInterruptedSyncContinuesFromItsLastPage) {
  bitbucket_->FailNext(1, 500, /*pass_first=*/1);  // the second page fails
  auto interrupted = Sync();
  ASSERT_FALSE(interrupted.ok());
  EXPECT_NE(interrupted.status().message().find("pull requests of acme/repo-1"), std::string::npos)
      << interrupted.status().message();
  EXPECT_EQ(store_->pull_requests().LoadPullRequests(repo_.id)->size(),
            50u);  // the first page was kept
  // Pull request 50: updated 50 h 30 min after 2026-01-01.
  EXPECT_EQ(*store_->cursors().LoadCursor(repo_.id, "pull_requests"), "2026-01-03T02:30:00Z");

  auto resumed = Sync();
  ASSERT_TRUE(resumed.ok()) << resumed.status().message();
  EXPECT_EQ(resumed->received, 71);  // 50 again (>=) and 51..120
  EXPECT_EQ(resumed->changed, 70);
  EXPECT_EQ(store_->pull_requests().LoadPullRequests(repo_.id)->size(), 120u);  // each once
}

TEST_F(CloudSyncTest, APullRequestUpdatedBetweenPagesPushesNoOtherOut) {
  // Just before the second page is asked for, a reviewer comments on pull request 2 (on the first
  // page): it moves to the end of the list, and every later one a place up.
  const std::int64_t later = leadline::testing::PullRequestUpdatedOn({}, 120) + 3600;
  bitbucket_->ChangeBefore("/pullrequests", 2,
                           [this, later] { bitbucket_->PublishComments(2, 1, later); });
  auto synced = Sync();
  ASSERT_TRUE(synced.ok()) << synced.status().message();
  const auto stored = *store_->pull_requests().LoadPullRequests(repo_.id);
  ASSERT_EQ(stored.size(), 120u);  // pull request 51, first of the second page before, too
  EXPECT_EQ(stored[50].number, 51);
  EXPECT_EQ(stored[1].updated_at, later);
  EXPECT_EQ(*store_->cursors().LoadCursor(repo_.id, "pull_requests"), common::FormatRfc3339(later));
}

TEST(PullRequestSyncPages, APageThatDoesNotParseWritesNothing) {
  TempDir dir;
  auto store = std::move(store::OpenStore(dir.Child("leadline.db"))).value();
  model::Repository repo{0, "bitbucket-cloud", "acme/api", "api", "main", 0, true, ""};
  repo.id = *store->repositories().UpsertRepository(repo);
  const std::string url =
      "https://api.example/2.0/repositories/acme/api/pullrequests?state=OPEN&state=MERGED&state="
      "DECLINED&state=SUPERSEDED&pagelen=50&sort=updated_on&fields=" +
      http::EncodeQueryValue(sources::bitbucket::kCloudPullRequestFields);
  const nlohmann::json good = {
      {"id", 1},
      {"title", "ok"},
      {"state", "OPEN"},
      {"author", {{"uuid", "{u}"}, {"display_name", "A"}}},
      {"source", {{"branch", {{"name", "f"}}}, {"commit", {{"hash", "abcdef123456"}}}}},
      {"destination", {{"branch", {{"name", "main"}}}, {"commit", {{"hash", "0123456789ab"}}}}},
      {"merge_commit", nullptr},
      {"created_on", "2026-01-01T00:00:00+00:00"},
      {"updated_on", "2026-01-01T01:00:00+00:00"}};
  nlohmann::json bad = good;
  bad["id"] = 2;
  bad["state"] = "MAYBE";
  http::testing::ScriptedClient client;
  client.Answer(url, 200, nlohmann::json{{"values", {good, bad}}}.dump());
  const ConnectionSettings settings{model::Provider::kBitbucketCloud,
                                    "https://api.example/2.0",
                                    "acme",
                                    model::AuthMethod::kAccessToken,
                                    "",
                                    "t"};
  auto result =
      RunCloudFeed(SyncTarget{*store, client, settings, repo, 0, {}, "", {}}, "pull_requests");
  ASSERT_FALSE(result.ok());
  const std::string& message = result.status().message();
  EXPECT_NE(message.find("acme/api"), std::string::npos) << message;
  EXPECT_NE(message.find("pull request 1 of https://api.example/2.0/repositories/acme/api"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("field 'state': unknown pull request state 'MAYBE'"), std::string::npos)
      << message;
  EXPECT_TRUE(store->pull_requests().LoadPullRequests(repo.id)->empty());
  EXPECT_EQ(*store->cursors().LoadCursor(repo.id, "pull_requests"), "");
}

TEST_F(CloudSyncTest, PullRequestsOfTheFirstSyncStartAtSince) {
  SyncTarget target = Target();
  target.since = leadline::testing::PullRequestUpdatedOn({}, 101);
  auto synced = RunCloudFeed(target, "pull_requests");
  ASSERT_TRUE(synced.ok()) << synced.status().message();
  EXPECT_EQ(synced->received, 20);  // 101..120
  EXPECT_EQ(store_->pull_requests().LoadPullRequests(repo_.id)->front().number, 101);
}

TEST_F(CloudSyncTest, ActivityIsWalkedOnceAndThenOnlyDownToWhatIsStored) {
  const std::size_t entries = ActivityEntries();
  auto first = RunCloudFeed(Target(), "pull_request_activity");
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->received, static_cast<std::int64_t>(entries));
  EXPECT_EQ(first->changed, static_cast<std::int64_t>(entries));
  EXPECT_EQ(first->pages, static_cast<std::int64_t>((entries + 49) / 50));
  const auto stored = *store_->pull_requests().LoadPullRequestActivity(repo_.id);
  ASSERT_EQ(stored.size(), entries);
  // Pull request 14: opened, commented on, changes requested, approved; still open.
  std::vector<model::PullRequestActivityKind> kinds;
  for (const auto& entry : stored) {
    if (entry.pr_number == 14) kinds.push_back(entry.kind);
  }
  EXPECT_EQ(kinds,
            (std::vector<model::PullRequestActivityKind>{
                model::PullRequestActivityKind::kUpdate, model::PullRequestActivityKind::kComment,
                model::PullRequestActivityKind::kChangesRequested,
                model::PullRequestActivityKind::kApproval}));

  int before = bitbucket_->requests();
  auto unchanged = RunCloudFeed(Target(), "pull_request_activity");
  ASSERT_TRUE(unchanged.ok()) << unchanged.status().message();
  EXPECT_EQ(bitbucket_->requests() - before, 1);
  EXPECT_EQ(unchanged->changed, 0);

  bitbucket_->AddPullRequests(10);
  before = bitbucket_->requests();
  auto grown = RunCloudFeed(Target(), "pull_request_activity");
  ASSERT_TRUE(grown.ok()) << grown.status().message();
  EXPECT_EQ(grown->changed, static_cast<std::int64_t>(ActivityEntries() - entries));
  EXPECT_LE(bitbucket_->requests() - before, 2);  // the new entries, and the page reaching the mark
  EXPECT_EQ(store_->pull_requests().LoadPullRequestActivity(repo_.id)->size(), ActivityEntries());
}

TEST_F(CloudSyncTest, AnInterruptedActivityWalkResumesAfterItsLastStoredPage) {
  const std::size_t entries = ActivityEntries();
  bitbucket_->FailNext(1, 500, /*pass_first=*/2);  // the third page fails
  auto interrupted = RunCloudFeed(Target(), "pull_request_activity");
  ASSERT_FALSE(interrupted.ok());
  EXPECT_NE(interrupted.status().message().find("pull request activity of acme/repo-1"),
            std::string::npos)
      << interrupted.status().message();
  EXPECT_EQ(store_->pull_requests().LoadPullRequestActivity(repo_.id)->size(), 100u);

  const int before = bitbucket_->requests_to("/pullrequests/activity");
  auto resumed = RunCloudFeed(Target(), "pull_request_activity");
  ASSERT_TRUE(resumed.ok()) << resumed.status().message();
  const auto pages = static_cast<int>((entries + 49) / 50);
  EXPECT_EQ(bitbucket_->requests_to("/pullrequests/activity") - before, pages - 2);
  EXPECT_EQ(resumed->changed, static_cast<std::int64_t>(entries - 100));
  EXPECT_EQ(store_->pull_requests().LoadPullRequestActivity(repo_.id)->size(),
            entries);  // each once

  // The finished walk left a mark: the next one costs a single request.
  const int after = bitbucket_->requests();
  ASSERT_TRUE(RunCloudFeed(Target(), "pull_request_activity").ok());
  EXPECT_EQ(bitbucket_->requests() - after, 1);
}

// A resume link the host no longer knows (Bitbucket's `ctx` expires) starts the walk again at the
// newest page, keeping what it had reached.
TEST_F(CloudSyncTest, AnExpiredResumeLinkStartsTheWalkAgainAtTheNewestPage) {
  const std::size_t entries = ActivityEntries();
  bitbucket_->FailNext(1, 500, /*pass_first=*/2);  // the third page fails: its link is saved
  ASSERT_FALSE(RunCloudFeed(Target(), "pull_request_activity").ok());
  EXPECT_NE(store_->cursors().LoadCursor(repo_.id, "pull_request_activity")->find("resume_url"),
            std::string::npos);
  bitbucket_->FailNext(1, 404);  // the saved link is gone
  const int before = bitbucket_->requests_to("/pullrequests/activity");
  auto resumed = RunCloudFeed(Target(), "pull_request_activity");
  ASSERT_TRUE(resumed.ok()) << resumed.status().message();
  const auto pages = static_cast<int>((entries + 49) / 50);
  // The refused link, then the whole stream from its newest page.
  EXPECT_EQ(bitbucket_->requests_to("/pullrequests/activity") - before, 1 + pages);
  EXPECT_EQ(resumed->changed, static_cast<std::int64_t>(entries - 100));
  EXPECT_EQ(store_->pull_requests().LoadPullRequestActivity(repo_.id)->size(),
            entries);  // each once
  EXPECT_EQ(store_->cursors().LoadCursor(repo_.id, "pull_request_activity")->find("resume_url"),
            std::string::npos);
}

// A host that refuses the deployments' sort (a 400) is read whole, in its own order.
TEST_F(CloudSyncTest, DeploymentsAreReadWholeWhereTheSortIsRefused) {
  bitbucket_->FailNext(1, 400);
  auto read = RunCloudFeed(Target(), "deployment_list");
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->received, 12);
  EXPECT_EQ(store_->pipelines().LoadPlatformDeployments(repo_.id)->size(), 12u);
  EXPECT_EQ(bitbucket_->requests_to("/environments"), 1);
  // No walk finished, so no mark: the next sync tries the sorted walk again.
  EXPECT_EQ(*store_->cursors().LoadCursor(repo_.id, "deployment_list"), "");
}

TEST_F(CloudSyncTest, PipelinesStillRunningAreFetchedAgainUntilTheyFinish) {
  auto first = RunCloudFeed(Target(), "pipelines");
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->received, 130);
  EXPECT_EQ(first->pages, 2);  // 100 a page
  auto stored = *store_->pipelines().LoadPipelines(repo_.id);
  ASSERT_EQ(stored.size(), 130u);
  EXPECT_EQ(stored[5].result, model::PipelineResult::kFailed);  // #6: every sixth fails
  EXPECT_EQ(stored.back().state, model::PipelineState::kInProgress);
  EXPECT_EQ(stored.back().commit_sha.size(), 40u);

  int before = bitbucket_->requests();
  auto again = RunCloudFeed(Target(), "pipelines");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(bitbucket_->requests() - before, 1);
  EXPECT_EQ(again->changed, 0);

  bitbucket_->FinishPipelines();
  auto finished = RunCloudFeed(Target(), "pipelines");
  ASSERT_TRUE(finished.ok());
  EXPECT_EQ(finished->changed, 1);
  stored = *store_->pipelines().LoadPipelines(repo_.id);
  EXPECT_EQ(stored.back().result, model::PipelineResult::kSuccessful);
  EXPECT_EQ(stored.back().duration_s, 300);
}

TEST_F(CloudSyncTest, DeploymentsAreJoinedWithEnvironmentsFetchedOnce) {
  auto first = RunCloudFeed(Target(), "deployment_list");
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->received, 12);
  const auto stored = *store_->pipelines().LoadPlatformDeployments(repo_.id);
  ASSERT_EQ(stored.size(), 12u);
  EXPECT_EQ(stored[1].environment_type, model::EnvironmentType::kProduction);  // #2: even
  EXPECT_EQ(stored[1].environment_name, "Production");
  EXPECT_EQ(stored[0].environment_type, model::EnvironmentType::kStaging);
  EXPECT_EQ(stored[4].state, model::PlatformDeploymentState::kCompleted);
  EXPECT_EQ(stored[4].status, model::PlatformDeploymentStatus::kFailed);  // #5: every fifth
  EXPECT_EQ(stored[3].status, model::PlatformDeploymentStatus::kSuccessful);

  auto again = RunCloudFeed(Target(), "deployment_list");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->changed, 0);
  EXPECT_EQ(bitbucket_->requests_to("/environments"), 1);
}

// Bitbucket's deployments name no branch; the pipeline that deployed does (`target.ref_type` and
// `ref_name`), and each deployment names its pipeline (`release.pipeline`).
TEST_F(CloudSyncTest, DeploymentsTakeTheBranchTheirPipelineRanOn) {
  ASSERT_TRUE(RunCloudFeed(Target(), "pipelines").ok());
  // A pipeline that ran on a tag gives its deployment no branch.
  auto pipelines = *store_->pipelines().LoadPipelines(repo_.id);
  ASSERT_EQ(pipelines.size(), 130u);
  const auto numbered = [&](std::int64_t number) -> model::Pipeline& {
    return *std::find_if(pipelines.begin(), pipelines.end(),
                         [&](const model::Pipeline& p) { return p.build_number == number; });
  };
  EXPECT_EQ(numbered(3).ref_type, "branch");
  numbered(3).ref_type = "tag";
  numbered(3).ref_name = "v1.0.0";
  ASSERT_TRUE(store_->pipelines().UpsertPipelines(repo_.id, {numbered(3)}).ok());
  pipelines = *store_->pipelines().LoadPipelines(repo_.id);  // stored and read back
  EXPECT_EQ(numbered(3).ref_type, "tag");

  ASSERT_TRUE(RunCloudFeed(Target(), "deployment_list").ok());
  const auto stored = *store_->pipelines().LoadPlatformDeployments(repo_.id);
  ASSERT_EQ(stored.size(), 12u);
  for (const model::PlatformDeployment& deployment : stored) {
    if (deployment.release_name == "#3") {
      EXPECT_EQ(deployment.branch, std::nullopt) << "deployed from a tag's pipeline";
    } else {
      EXPECT_EQ(deployment.branch, "main") << deployment.release_name;
    }
  }
}

TEST_F(CloudSyncTest, ARepeatSyncOfAnUnchangedRepositoryAsksOncePerCollection) {
  auto first = SyncCloudRepository(Target());
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->pull_requests.received, 120);
  EXPECT_FALSE(first->pull_requests_skipped);
  bitbucket_->FinishPipelines();
  auto finished = SyncCloudRepository(Target());  // picks up the finished pipeline
  ASSERT_TRUE(finished.ok());
  EXPECT_FALSE(finished->deployments_skipped);  // which may have deployed

  const int before = bitbucket_->requests();
  auto again = SyncCloudRepository(Target());
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(again->pull_requests_skipped);
  EXPECT_TRUE(again->deployments_skipped);
  EXPECT_EQ(again->Total().changed, 0);
  // Activity and pipelines: one page each; pull requests and deployments are not asked for.
  EXPECT_EQ(bitbucket_->requests() - before, 2);

  bitbucket_->AddPullRequests(3);
  auto grown = SyncCloudRepository(Target());
  ASSERT_TRUE(grown.ok());
  EXPECT_FALSE(grown->pull_requests_skipped);
  EXPECT_EQ(store_->pull_requests().LoadPullRequests(repo_.id)->size(), 123u);
}

TEST_F(CloudSyncTest, SquashedPullRequestsOfDeletedBranchesGetTheirCommitsFromTheHostOnce) {
  SyncTarget target = Target();
  target.mirror_path = dir_.Child("mirror.git");
  auto first = SyncCloudRepository(target);
  ASSERT_TRUE(first.ok()) << first.status().message();
  // Of 120 pull requests, the multiples of 6 were squashed (20) and their branches deleted, so
  // the mirror lacks their commits; the host still lists them, but for every 30th's (4).
  EXPECT_EQ(first->squashed_commits.received, 20);
  EXPECT_EQ(first->squashed_commits.changed, 16);
  EXPECT_EQ(first->squashed_commits.pages, 20);
  EXPECT_EQ(bitbucket_->requests_to("/commits"), 20);
  const auto stored = *store_->pull_requests().LoadPullRequests(repo_.id);
  const model::PullRequest& squashed = stored[5];  // #6
  ASSERT_EQ(squashed.number, 6);
  ASSERT_TRUE(squashed.branch_commits.has_value());
  EXPECT_EQ(squashed.branch_commits->count, 1);
  // Its commit was authored a sixth of the pace (an hour) before it was opened.
  EXPECT_EQ(squashed.branch_commits->first_authored_at, squashed.created_at - 600);
  EXPECT_EQ(squashed.branch_commits->author_email,
            leadline::testing::PullRequestAuthor({}, 6).email);
  EXPECT_EQ(stored[29].branch_commits, model::BranchCommits{});  // #30: none listed
  EXPECT_FALSE(stored[2].branch_commits.has_value());            // #3: a merge commit, mirrored
  EXPECT_FALSE(stored[0].branch_commits.has_value());            // #1: open

  auto again = SyncCloudRepository(target);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->squashed_commits.received, 0);  // each is asked for once
  EXPECT_EQ(bitbucket_->requests_to("/commits"), 20);
}

TEST_F(CloudSyncTest, TheAnswersBeforeAFailureAreKept) {
  // Newest merge first, the squashed pull requests are #120, #114, ... : #78 is the eighth.
  config_.failing_commits_list = 78;
  StartDouble("bitbucket-cloud");
  settings_.url = bitbucket_->cloud_api_url();
  SyncTarget target = Target();
  target.mirror_path = dir_.Child("mirror.git");
  auto failed = SyncCloudRepository(target);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("commits of pull request #78 of acme/repo-1"),
            std::string::npos)
      << failed.status().message();
  std::vector<std::int64_t> kept;
  const std::vector<model::PullRequest> stored =
      *store_->pull_requests().LoadPullRequests(repo_.id);
  for (const model::PullRequest& pr : stored) {
    if (pr.branch_commits) kept.push_back(pr.number);
  }
  EXPECT_EQ(kept, (std::vector<std::int64_t>{84, 90, 96, 102, 108, 114, 120}));
}

TEST_F(CloudSyncTest, AHostThatKeepsNoDeletedBranchIsAskedOnlySoOftenASync) {
  config_.pull_requests_per_repo = 300;  // 50 squashed
  config_.cloud_keeps_branch_commits = false;
  StartDouble("bitbucket-cloud");
  settings_.url = bitbucket_->cloud_api_url();
  SyncTarget target = Target();
  target.mirror_path = dir_.Child("mirror.git");
  auto first = SyncCloudRepository(target);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->squashed_commits.received, static_cast<std::int64_t>(kEmptyAnswersToStop));
  EXPECT_EQ(first->squashed_commits.changed, 0);
  // The newest merges first: #300 is the first asked for.
  const auto stored = *store_->pull_requests().LoadPullRequests(repo_.id);
  EXPECT_EQ(stored[299].branch_commits, model::BranchCommits{});
  EXPECT_FALSE(stored[5].branch_commits.has_value());
  auto again = SyncCloudRepository(target);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->squashed_commits.received, static_cast<std::int64_t>(kEmptyAnswersToStop));
}

// Production deploys through a manual step: most pipelines pause before it, for good.
class CloudManualStepsTest : public CloudSyncTest {
 protected:
  CloudManualStepsTest() {
    config_.pull_requests_per_repo = 20;
    config_.pipelines_per_repo = 350;
    config_.deployments_per_repo = 350;
    config_.manual_production = true;
    StartDouble("bitbucket-cloud");
    settings_.url = bitbucket_->cloud_api_url();
    bitbucket_->FinishPipelines();  // none running: only paused ones
  }

  // The requests a whole repository sync sends.
  int SyncRequests() {
    const int before = bitbucket_->requests();
    auto synced = SyncCloudRepository(Target());
    EXPECT_TRUE(synced.ok()) << synced.status().message();
    return bitbucket_->requests() - before;
  }
};

TEST_F(CloudManualStepsTest, PausedPipelinesDoNotMakeEveryRepeatSyncReadThemAll) {
  SyncRequests();
  const auto pipelines = *store_->pipelines().LoadPipelines(repo_.id);
  ASSERT_EQ(pipelines.size(), 350u);
  EXPECT_EQ(pipelines[0].state, model::PipelineState::kPaused);     // #1
  EXPECT_EQ(pipelines[3].state, model::PipelineState::kCompleted);  // #4: triggered
  // Activity and pipelines: one page each, though the oldest paused pipeline is 350 back.
  EXPECT_EQ(SyncRequests(), 2);
}

TEST_F(CloudManualStepsTest, ANewPipelineReadsOnlyTheNewestDeployments) {
  SyncRequests();
  EXPECT_EQ(store_->pipelines().LoadPlatformDeployments(repo_.id)->size(), 350u);
  bitbucket_->AddPipelines(1);
  // Activity, the newest pipelines, the newest deployments: not the 4 pages of either list.
  EXPECT_LE(SyncRequests(), 4);
  const auto deployments = *store_->pipelines().LoadPlatformDeployments(repo_.id);
  ASSERT_EQ(deployments.size(), 351u);
  EXPECT_EQ(deployments.back().release_name, "#351");
  EXPECT_EQ(deployments.back().state, model::PlatformDeploymentState::kCompleted);
  EXPECT_EQ(SyncRequests(), 2);
}

TEST_F(CloudManualStepsTest, AManualStepRunLaterIsReadWithItsDeployment) {
  SyncRequests();
  // Pipeline 346 paused before production; someone deploys it a day later.
  const std::int64_t later = leadline::testing::PipelineCreatedOn({}, 350) + 86400;
  auto before = *store_->pipelines().LoadPlatformDeployments(repo_.id);
  const auto undeployed = std::find_if(before.begin(), before.end(),
                                       [](const auto& d) { return d.release_name == "#346"; });
  ASSERT_NE(undeployed, before.end());
  EXPECT_EQ(undeployed->state, model::PlatformDeploymentState::kUndeployed);
  bitbucket_->TriggerManualStep(346, later);
  EXPECT_LE(SyncRequests(), 4);
  const auto after = *store_->pipelines().LoadPlatformDeployments(repo_.id);
  const auto deployed = std::find_if(after.begin(), after.end(),
                                     [](const auto& d) { return d.release_name == "#346"; });
  ASSERT_NE(deployed, after.end());
  EXPECT_EQ(deployed->state, model::PlatformDeploymentState::kCompleted);
  EXPECT_EQ(deployed->environment_type, model::EnvironmentType::kProduction);
  EXPECT_EQ(deployed->started_at, later);
}

TEST_F(CloudSyncTest, A429StormMakesTheSyncSlowerAndLosesNothing) {
  http::testing::FakeClock clock;
  http::RetryingHttpClient retrying(client_, {}, 1000, clock);
  // Five refusals in a row on one request, then two more storms later in the backfill.
  bitbucket_->FailNext(5, 429);
  auto first_storm = RunCloudFeed(SyncTarget{*store_, retrying, settings_, repo_, 0, {}, "", {}},
                                  "pull_request_activity");
  ASSERT_TRUE(first_storm.ok()) << first_storm.status().message();
  bitbucket_->FailNext(3, 429, /*pass_first=*/1);
  auto synced = SyncCloudRepository({*store_, retrying, settings_, repo_, 0, {}, "", {}});
  ASSERT_TRUE(synced.ok()) << synced.status().message();

  EXPECT_EQ(retrying.counts().rate_limited, 8u);
  // Backed off, not hammered: each wait is at least half its exponential ceiling.
  EXPECT_GE(clock.slept, std::chrono::milliseconds((1 + 2 + 4 + 8 + 16 + 1 + 2 + 4) * 500));
  EXPECT_EQ(store_->pull_requests().LoadPullRequestActivity(repo_.id)->size(), ActivityEntries());
  EXPECT_EQ(store_->pull_requests().LoadPullRequests(repo_.id)->size(), 120u);
  EXPECT_EQ(store_->pipelines().LoadPipelines(repo_.id)->size(), 130u);
  EXPECT_EQ(store_->pipelines().LoadPlatformDeployments(repo_.id)->size(), 12u);
}

TEST_F(CloudSyncTest, ADroppedConnectionFailsTheSyncWithoutLosingStoredPages) {
  bitbucket_->DropNext(1);
  auto dropped = RunCloudFeed(Target(), "pipelines");
  ASSERT_FALSE(dropped.ok());
  EXPECT_EQ(dropped.status().code(), common::StatusCode::kUnavailable)
      << dropped.status().message();
  auto again = RunCloudFeed(Target(), "pipelines");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(store_->pipelines().LoadPipelines(repo_.id)->size(), 130u);
}

TEST_F(CloudSyncTest, AMissingScopeNamesTheEntityAndTheScope) {
  config_.granted_scopes.erase("read:pipeline:bitbucket");
  bitbucket_ = std::make_unique<BitbucketDouble>(config_);
  settings_.url = bitbucket_->cloud_api_url();
  auto result = SyncCloudRepository(Target());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), common::StatusCode::kPermissionDenied);
  EXPECT_NE(result.status().message().find("pipelines of acme/repo-1"), std::string::npos)
      << result.status().message();
  EXPECT_NE(result.status().message().find("HTTP 403"), std::string::npos);
  EXPECT_NE(result.status().message().find("the token lacks the scope read:pipeline:bitbucket"),
            std::string::npos)
      << result.status().message();
}

}  // namespace
}  // namespace leadline::ingest
