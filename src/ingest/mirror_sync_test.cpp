#include "ingest/mirror_sync.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "bitbucket_double/bitbucket_double.h"
#include "common/base64.h"
#include "git/git_mirror.h"
#include "http/curl_http_client.h"
#include "http/testing_fakes.h"
#include "ingest/repository_sync.h"
#include "sources/bitbucket/bitbucket_connector.h"
#include "testing/double_sync_fixture.h"

namespace leadline::ingest {
namespace {

// The refs Bitbucket Data Center keeps of every pull request's source commit.
constexpr const char* kPullRequestRefs = "refs/pull-requests/*/from";

class MirrorSyncTest : public leadline::testing::DoubleSyncTest {
 protected:
  MirrorSyncTest() {
    config_.pull_requests_per_repo = 120;
    config_.pipelines_per_repo = 20;
    config_.deployments_per_repo = 6;
    StartDouble("bitbucket-cloud");
  }

  MirrorSyncTarget Target(const std::string& user = "x-bitbucket-api-token-auth") {
    return {*store_,
            repo_,
            dir_.Child("mirrors/acme/repo-1.git"),
            "Basic " + common::Base64(user + ":" + config_.api_token),
            {},
            common::SystemClock(),
            {},
            {}};
  }

  std::set<std::string> StoredShas() {
    const auto shas = store_->history().LoadCommitShas(repo_.id);
    return {shas->begin(), shas->end()};
  }
};

TEST_F(MirrorSyncTest, StoresTheWholeHistoryInTwoGitRequestsThenOnlyWhatIsNew) {
  auto first = SyncMirror(Target());
  ASSERT_TRUE(first.ok()) << first.status().message();
  // The history of 120 pull requests: the initial commit; 40 merged (every third), each landing
  // as one commit on main, 20 of them merge commits that bring their branch commit along (the
  // other 20 are squashed); 64 open ones (neither a multiple of 3 nor of 5: 120 - 40 - 16) whose
  // branches remain. The 16 declined branches were deleted. 1 + 40 + 20 + 64 = 125.
  EXPECT_EQ(first->new_commits, 125);
  EXPECT_EQ(first->total_commits, 125);
  EXPECT_TRUE(first->refs_changed);
  EXPECT_GT(first->received_bytes, 0u);
  EXPECT_EQ(bitbucket_->requests_to(".git/info/refs"), 1);
  EXPECT_EQ(bitbucket_->requests_to(".git/git-upload-pack"), 1);
  const auto refs = *store_->history().LoadRefs(repo_.id);
  EXPECT_EQ(refs.size(), 65u);  // main and 64 open branches

  auto again = SyncMirror(Target());
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->new_commits, 0);
  EXPECT_FALSE(again->refs_changed);
  EXPECT_EQ(bitbucket_->requests_to(".git/git-upload-pack"), 1);  // nothing to download

  bitbucket_->AddPullRequests(6);  // 121..126: 123 and 126 merged, 125 declined, 3 open
  auto grown = SyncMirror(Target());
  ASSERT_TRUE(grown.ok()) << grown.status().message();
  EXPECT_EQ(grown->new_commits, 2 + 1 + 3);  // 2 merges, 123's branch commit, 3 open branches
  EXPECT_EQ(StoredShas().size(), 131u);
}

TEST_F(MirrorSyncTest, PullRequestsPipelinesAndDeploymentsNameStoredCommits) {
  ASSERT_TRUE(SyncMirror(Target()).ok());
  http::CurlHttpClient client;
  const sources::ConnectionSettings settings{model::Provider::kBitbucketCloud,
                                             bitbucket_->cloud_api_url(),
                                             "acme",
                                             model::AuthMethod::kApiToken,
                                             config_.email,
                                             config_.api_token};
  auto synced =
      SyncRepository({*store_, client, settings, repo_, 0, {}, "", {}},
                     sources::bitbucket::BitbucketConnector(model::Provider::kBitbucketCloud));
  ASSERT_TRUE(synced.ok()) << synced.status().message();
  const std::set<std::string> shas = StoredShas();
  auto stored_prefix = [&](const std::string& prefix) {
    const auto it = shas.lower_bound(prefix);
    return it != shas.end() && it->starts_with(prefix);
  };
  int merged = 0;
  const auto pull_requests = store_->pull_requests().LoadPullRequests(repo_.id);
  const auto pipelines = store_->pipelines().LoadPipelines(repo_.id);
  const auto deployments = store_->pipelines().LoadPlatformDeployments(repo_.id);
  for (const model::PullRequest& pr : *pull_requests) {
    if (!pr.merge_commit) continue;
    ++merged;
    EXPECT_TRUE(stored_prefix(*pr.merge_commit)) << "#" << pr.number;
  }
  EXPECT_EQ(merged, 40);
  for (const model::Pipeline& pipeline : *pipelines) {
    EXPECT_TRUE(shas.contains(pipeline.commit_sha)) << pipeline.uuid;
  }
  for (const model::PlatformDeployment& d : *deployments) {
    EXPECT_TRUE(shas.contains(d.commit_sha)) << d.uuid;
  }
}

TEST_F(MirrorSyncTest, AFetchThatFailsOnTheWayIsTriedAgainAfterAWait) {
  http::testing::FakeClock clock;
  std::vector<std::string> waits;
  MirrorSyncTarget target = Target();
  MirrorSyncTarget patient{target.store,
                           target.repository,
                           target.mirror_path,
                           target.authorization,
                           {},
                           clock,
                           [&](const std::string& why) { waits.push_back(why); },
                           {}};
  bitbucket_->FailNext(2, 503);
  bitbucket_->DropNext(0);
  auto synced = SyncMirror(patient);
  ASSERT_TRUE(synced.ok()) << synced.status().message();
  EXPECT_EQ(synced->new_commits, 125);
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_NE(waits[0].find("503; trying again in 1 s"), std::string::npos) << waits[0];
  EXPECT_NE(waits[1].find("trying again in 2 s"), std::string::npos) << waits[1];
  EXPECT_EQ(clock.slept, std::chrono::seconds(3));

  bitbucket_->AddPullRequests(3);
  bitbucket_->DropNext(1);  // a connection dropped mid-answer
  auto dropped = SyncMirror(patient);
  ASSERT_TRUE(dropped.ok()) << dropped.status().message();
  EXPECT_EQ(waits.size(), 3u);
  // 121 and 122 open (a commit each), 123 merged by a merge commit (two).
  EXPECT_EQ(StoredShas().size(), 125u + 4u);

  bitbucket_->FailNext(4, 503);
  auto gave_up = SyncMirror(patient);
  ASSERT_FALSE(gave_up.ok());
  EXPECT_EQ(gave_up.status().code(), common::StatusCode::kUnavailable);
  EXPECT_EQ(waits.size(), 6u);  // 4 attempts, 3 waits
}

TEST_F(MirrorSyncTest, RefusedCredentialsAreNamedAndStoreNothing) {
  auto refused = SyncMirror(Target("someone-else"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), common::StatusCode::kUnauthenticated)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("git fetch of " + repo_.clone_url), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(refused.status().message().find(config_.api_token), std::string::npos);
  EXPECT_TRUE(StoredShas().empty());
}

TEST_F(MirrorSyncTest, AnUnknownRepositoryIsNamed) {
  repo_.clone_url = "http://127.0.0.1:" + std::to_string(bitbucket_->port()) + "/acme/gone.git";
  auto missing = SyncMirror(Target());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("gone.git"), std::string::npos)
      << missing.status().message();
}

TEST_F(MirrorSyncTest, ARedirectToAnotherHostIsNotFollowedWithTheCredentials) {
  repo_.clone_url = "http://127.0.0.1:" + std::to_string(bitbucket_->port()) + "/acme/moved.git";
  auto moved = SyncMirror(Target());
  ASSERT_FALSE(moved.ok());
  EXPECT_NE(moved.status().message().find("moved.git"), std::string::npos)
      << moved.status().message();
  EXPECT_EQ(bitbucket_->requests_to("/acme/repo-1.git"), 0);  // nothing went to the new place
  EXPECT_EQ(moved.status().code(), common::StatusCode::kFailedPrecondition);  // not retried
  EXPECT_NE(moved.status().message().find("leadline repos list"), std::string::npos)
      << moved.status().message();
}

TEST_F(MirrorSyncTest, ARepositoryWithoutACloneUrlSaysHowToRefreshIt) {
  repo_.clone_url.clear();
  auto result = SyncMirror(Target());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("leadline repos list"), std::string::npos);
}

TEST_F(MirrorSyncTest, CloudAdvertisesNoPullRequestRefs) {
  auto fetched = git::FetchMirror(
      {repo_.clone_url, dir_.Child("probe.git"), Target().authorization, {}, {kPullRequestRefs}});
  ASSERT_TRUE(fetched.ok()) << fetched.status().message();
  EXPECT_EQ(fetched->refs, 65u);  // main and 64 open branches
  EXPECT_EQ(fetched->extra_refs, 0u);
}

// Data Center's git route also advertises every pull request's refs/pull-requests/<n>/from.
class DcMirrorSyncTest : public leadline::testing::DoubleSyncTest {
 protected:
  DcMirrorSyncTest() {
    config_.pull_requests_per_repo = 120;
    StartDouble("bitbucket-dc");
  }

  MirrorSyncTarget Target(std::vector<std::string> extra_refs) {
    return {*store_,
            repo_,
            dir_.Child("mirrors/PROJ/repo-1.git"),
            "Bearer " + config_.dc_token,
            [this](const std::string& what) { told_.push_back(what); },
            common::SystemClock(),
            {},
            std::move(extra_refs)};
  }
  bool ToldStoring() const {
    return std::any_of(told_.begin(), told_.end(),
                       [](const std::string& what) { return what.starts_with("storing "); });
  }

  std::vector<std::string> told_;
};

TEST_F(DcMirrorSyncTest, PullRequestRefsBringTheirCommitsButNoBranches) {
  auto first = SyncMirror(Target({kPullRequestRefs}));
  ASSERT_TRUE(first.ok()) << first.status().message();
  // Cloud's 125 (above), and the own commits of the 20 squashed and 16 declined pull requests,
  // whose branches were deleted.
  EXPECT_EQ(first->new_commits, 125 + 20 + 16);
  EXPECT_EQ(store_->history().LoadRefs(repo_.id)->size(),
            65u);  // main and 64 open branches, as before

  // Unchanged pull request refs are not walked again: that walk would load every stored commit
  // id, which a repeat sync with nothing new skips.
  told_.clear();
  auto again = SyncMirror(Target({kPullRequestRefs}));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->new_commits, 0);
  EXPECT_FALSE(again->refs_changed);
  EXPECT_EQ(again->received_bytes, 0u);  // the mirror's pull request refs were its haves
  EXPECT_FALSE(ToldStoring());

  bitbucket_->AddPullRequests(6);  // 121..126: 123 and 126 land, 125 is declined, 3 open
  auto grown = SyncMirror(Target({kPullRequestRefs}));
  ASSERT_TRUE(grown.ok()) << grown.status().message();
  EXPECT_EQ(grown->new_commits, 2 + 6);  // 2 landing commits, each pull request's own
}

TEST_F(DcMirrorSyncTest, EveryPullRequestHasItsRefMergedDeclinedOrOpen) {
  auto fetched = git::FetchMirror(
      {repo_.clone_url, dir_.Child("probe.git"), Target({}).authorization, {}, {kPullRequestRefs}});
  ASSERT_TRUE(fetched.ok()) << fetched.status().message();
  EXPECT_EQ(fetched->refs, 65u);
  EXPECT_EQ(fetched->extra_refs, 120u);
}

TEST_F(DcMirrorSyncTest, WithoutTheOptionPullRequestRefsAreIgnored) {
  auto plain = SyncMirror(Target({}));
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(plain->new_commits, 125);
}

}  // namespace
}  // namespace leadline::ingest
