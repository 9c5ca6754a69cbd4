#include "store/sql/platform_rows.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "store/sql/temp_store_test.h"

namespace leadline::store::sql {
namespace {

using model::PullRequestActivityKind;

class PlatformRowsTest : public TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    repo_id_ = *store_->repositories().UpsertRepository(
        {0, "bitbucket-cloud", "acme/api", "api", "main", 0, false, ""});
  }
  std::int64_t repo_id_ = 0;
};

model::PullRequestActivity Entry(std::int64_t pr, PullRequestActivityKind kind,
                                 const std::string& actor, common::UnixSeconds at) {
  model::PullRequestActivity entry;
  entry.pr_number = pr;
  entry.kind = kind;
  entry.actor_id = actor;
  entry.at = at;
  return entry;
}

TEST_P(PlatformRowsTest, ActivityIsStoredOnceByItsNaturalKey) {
  auto merged = Entry(7, PullRequestActivityKind::kUpdate, "{ann}", 300);
  merged.new_state = model::PullRequestState::kMerged;
  const std::vector<model::PullRequestActivity> first = {
      Entry(7, PullRequestActivityKind::kApproval, "{bob}", 200), merged,
      Entry(3, PullRequestActivityKind::kComment, "{bob}", 100)};
  EXPECT_EQ(*store_->pull_requests().InsertPullRequestActivity(repo_id_, first), 3);
  // A resumed walk hands the same entries again, with one new one.
  auto again = first;
  again.push_back(Entry(7, PullRequestActivityKind::kChangesRequested, "{bob}", 150));
  EXPECT_EQ(*store_->pull_requests().InsertPullRequestActivity(repo_id_, again), 1);

  const auto loaded = *store_->pull_requests().LoadPullRequestActivity(repo_id_);
  ASSERT_EQ(loaded.size(), 4u);
  EXPECT_EQ(loaded[0].pr_number, 3);
  EXPECT_EQ(loaded[1].kind, PullRequestActivityKind::kChangesRequested);
  EXPECT_EQ(loaded[2].kind, PullRequestActivityKind::kApproval);
  EXPECT_EQ(loaded[3].new_state, model::PullRequestState::kMerged);
  EXPECT_FALSE(loaded[2].new_state.has_value());
}

TEST_P(PlatformRowsTest, EntriesOfOneSecondPersonAndKindAreToldApartByTheirIds) {
  // A reviewer publishes three pending comments at once.
  std::vector<model::PullRequestActivity> published;
  for (const char* id : {"41", "42", "43"}) {
    published.push_back(Entry(7, PullRequestActivityKind::kComment, "{bob}", 500));
    published.back().upstream_id = id;
  }
  EXPECT_EQ(*store_->pull_requests().InsertPullRequestActivity(repo_id_, published), 3);
  EXPECT_EQ(*store_->pull_requests().InsertPullRequestActivity(repo_id_, published), 0);
  const auto loaded = *store_->pull_requests().LoadPullRequestActivity(repo_id_);
  ASSERT_EQ(loaded.size(), 3u);
  EXPECT_EQ(loaded[0].upstream_id, "41");
  EXPECT_EQ(loaded[2].upstream_id, "43");
}

TEST_P(PlatformRowsTest, AnEntryWithItsIdTakesThePlaceOfTheRowStoredWithoutOne) {
  // Stored before entries were keyed by their id: one row for the second, person and kind.
  const auto old = Entry(7, PullRequestActivityKind::kComment, "{bob}", 500);
  ASSERT_EQ(*store_->pull_requests().InsertPullRequestActivity(repo_id_, {old}), 1);
  auto with_id = old;
  with_id.upstream_id = "41";
  auto other = Entry(8, PullRequestActivityKind::kComment, "{bob}", 500);
  other.upstream_id = "50";
  EXPECT_EQ(*store_->pull_requests().InsertPullRequestActivity(repo_id_, {other, with_id}), 2);
  auto loaded = *store_->pull_requests().LoadPullRequestActivity(repo_id_);
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].upstream_id, "41");
  EXPECT_EQ(loaded[1].upstream_id, "50");

  // Within one call, as an entry at a time in order: the row without an id is replaced by an
  // entry with one stored after it, not by one stored before it.
  auto later = Entry(9, PullRequestActivityKind::kApproval, "{ann}", 900);
  auto later_with_id = later;
  later_with_id.upstream_id = "60";
  auto first = Entry(10, PullRequestActivityKind::kApproval, "{ann}", 900);
  auto first_with_id = first;
  first_with_id.upstream_id = "70";
  EXPECT_EQ(*store_->pull_requests().InsertPullRequestActivity(
                repo_id_, {later, later_with_id, first_with_id, first}),
            4);
  loaded = *store_->pull_requests().LoadPullRequestActivity(repo_id_);
  ASSERT_EQ(loaded.size(), 5u);
  EXPECT_EQ(loaded[2].pr_number, 9);
  EXPECT_EQ(loaded[2].upstream_id, "60");
  EXPECT_EQ(loaded[3].pr_number, 10);
  EXPECT_EQ(loaded[3].upstream_id, "");
  EXPECT_EQ(loaded[4].upstream_id, "70");
}

TEST_P(PlatformRowsTest, AWalkOfManyPagesOfEntriesStoresEachOnce) {
  // More entries than one statement takes, with repeats and entries of one second side by side.
  std::vector<model::PullRequestActivity> entries;
  for (int i = 0; i < 150; ++i) {
    entries.push_back(Entry(i / 3, PullRequestActivityKind::kComment, "{bob}", 1000 + i / 2));
    entries.back().upstream_id = std::to_string(i);
  }
  auto with_repeats = entries;
  with_repeats.insert(with_repeats.end(), entries.begin() + 100, entries.end());
  EXPECT_EQ(*store_->pull_requests().InsertPullRequestActivity(repo_id_, with_repeats), 150);
  EXPECT_EQ(*store_->pull_requests().InsertPullRequestActivity(repo_id_, entries), 0);
  EXPECT_EQ(store_->pull_requests().LoadPullRequestActivity(repo_id_)->size(), 150u);
}

TEST_P(PlatformRowsTest, PipelinesCountOnlyRealChanges) {
  model::Pipeline running;
  running.uuid = "{p1}";
  running.build_number = 41;
  running.ref_name = "main";
  running.commit_sha = std::string(40, 'a');
  running.state = model::PipelineState::kInProgress;
  running.created_at = 1000;
  EXPECT_EQ(*store_->pipelines().UpsertPipelines(repo_id_, {running}), 1);
  EXPECT_EQ(*store_->pipelines().UpsertPipelines(repo_id_, {running}), 0);

  model::Pipeline done = running;
  done.state = model::PipelineState::kCompleted;
  done.result = model::PipelineResult::kFailed;
  done.completed_at = 1300;
  done.duration_s = 280;
  EXPECT_EQ(*store_->pipelines().UpsertPipelines(repo_id_, {done}), 1);
  const auto loaded = *store_->pipelines().LoadPipelines(repo_id_);
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].result, model::PipelineResult::kFailed);
  EXPECT_EQ(loaded[0].completed_at, 1300);
  EXPECT_EQ(loaded[0].duration_s, 280);
  EXPECT_EQ(loaded[0].build_number, 41);
  EXPECT_EQ(loaded[0].ref_type, "");

  // A pipeline stored before its ref's kind was kept takes it when it is read again.
  model::Pipeline typed = done;
  typed.ref_type = "branch";
  EXPECT_EQ(*store_->pipelines().UpsertPipelines(repo_id_, {typed}), 1);
  EXPECT_EQ(store_->pipelines().LoadPipelines(repo_id_)->at(0).ref_type, "branch");
}

// A page of rows goes in statements of many rows; a key repeated within the page (a walk that
// read a row twice) must still end as the later row, as it would one statement a row.
TEST_P(PlatformRowsTest, PagesOfPipelinesAndDeploymentsWithRepeatsEndAsTheirLastRows) {
  std::vector<model::Pipeline> pipelines;
  std::vector<model::PlatformDeployment> deployments;
  for (int i = 0; i < 150; ++i) {
    model::Pipeline p;
    p.uuid = "{p" + std::to_string(i % 100) + "}";  // the last 50 repeat the first 50
    p.commit_sha = std::string(40, 'a');
    p.state = i < 100 ? model::PipelineState::kInProgress : model::PipelineState::kCompleted;
    p.created_at = 1000 + i % 100;
    pipelines.push_back(p);
    model::PlatformDeployment d;
    d.uuid = "{d" + std::to_string(i % 100) + "}";
    d.commit_sha = std::string(40, 'b');
    d.state = i < 100 ? model::PlatformDeploymentState::kInProgress
                      : model::PlatformDeploymentState::kCompleted;
    d.started_at = 2000 + i % 100;
    deployments.push_back(d);
  }
  // 100 new rows, then 50 of them changed by their repeats.
  EXPECT_EQ(*store_->pipelines().UpsertPipelines(repo_id_, pipelines), 150);
  EXPECT_EQ(*store_->pipelines().UpsertPlatformDeployments(repo_id_, deployments), 150);
  EXPECT_EQ(*store_->pipelines().UpsertPipelines(repo_id_, pipelines),
            100);  // 50 go back, 50 come again
  const auto stored = *store_->pipelines().LoadPipelines(repo_id_);
  ASSERT_EQ(stored.size(), 100u);
  for (const model::Pipeline& p : stored) {
    const bool repeated = std::stoi(p.uuid.substr(2)) < 50;
    EXPECT_EQ(p.state,
              repeated ? model::PipelineState::kCompleted : model::PipelineState::kInProgress)
        << p.uuid;
  }
  const auto stored_deployments = *store_->pipelines().LoadPlatformDeployments(repo_id_);
  ASSERT_EQ(stored_deployments.size(), 100u);
  EXPECT_EQ(std::count_if(stored_deployments.begin(), stored_deployments.end(),
                          [](const model::PlatformDeployment& d) {
                            return d.state == model::PlatformDeploymentState::kCompleted;
                          }),
            50);
}

TEST_P(PlatformRowsTest, DeploymentsAreJoinedWithTheirEnvironmentWhenRead) {
  model::PlatformDeployment by_uuid;
  by_uuid.uuid = "{d1}";
  by_uuid.environment_uuid = "{env-prod}";
  by_uuid.state = model::PlatformDeploymentState::kCompleted;
  by_uuid.status = model::PlatformDeploymentStatus::kFailed;
  by_uuid.commit_sha = std::string(40, 'b');
  by_uuid.started_at = 500;
  by_uuid.completed_at = 560;
  by_uuid.release_name = "#12";
  model::PlatformDeployment by_name;
  by_name.uuid = "{d2}";
  by_name.environment_name = "Produktion";
  by_name.environment_type = model::EnvironmentType::kProduction;
  by_name.state = model::PlatformDeploymentState::kInProgress;
  by_name.commit_sha = std::string(40, 'c');
  by_name.started_at = 900;
  EXPECT_EQ(*store_->pipelines().UpsertPlatformDeployments(repo_id_, {by_uuid, by_name}), 2);
  EXPECT_EQ(*store_->pipelines().UpsertPlatformDeployments(repo_id_, {by_uuid}), 0);

  // Not joined yet: the environment is unknown.
  auto loaded = *store_->pipelines().LoadPlatformDeployments(repo_id_);
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_FALSE(loaded[0].environment_type.has_value());

  ASSERT_TRUE(store_->pipelines()
                  .UpsertEnvironments(
                      repo_id_, {{"{env-prod}", "production", model::EnvironmentType::kProduction},
                                 {"{env-test}", "test", model::EnvironmentType::kTest}})
                  .ok());
  loaded = *store_->pipelines().LoadPlatformDeployments(repo_id_);
  EXPECT_EQ(loaded[0].environment_name, "production");
  EXPECT_EQ(loaded[0].environment_type, model::EnvironmentType::kProduction);
  EXPECT_EQ(loaded[0].status, model::PlatformDeploymentStatus::kFailed);
  EXPECT_EQ(loaded[1].environment_name, "Produktion");
  EXPECT_FALSE(loaded[1].status.has_value());
  EXPECT_EQ(store_->pipelines().LoadEnvironments(repo_id_)->size(), 2u);
}

TEST_P(PlatformRowsTest, ADeploymentsBranchIsKeptAndABranchNamedLaterIsAChange) {
  model::PlatformDeployment d;
  d.provider = model::Provider::kPush;
  d.uuid = "build-1";
  d.environment_name = "production";
  d.state = model::PlatformDeploymentState::kCompleted;
  d.status = model::PlatformDeploymentStatus::kSuccessful;
  d.commit_sha = std::string(40, 'a');
  d.completed_at = 600;
  EXPECT_EQ(*store_->pipelines().UpsertPlatformDeployments(repo_id_, {d}), 1);
  EXPECT_EQ(store_->pipelines().LoadPlatformDeployments(repo_id_)->at(0).branch, std::nullopt);
  d.branch = "release/2.0";  // CI sends it again, naming its branch
  EXPECT_EQ(*store_->pipelines().UpsertPlatformDeployments(repo_id_, {d}), 1);
  EXPECT_EQ(*store_->pipelines().UpsertPlatformDeployments(repo_id_, {d}), 0);
  EXPECT_EQ(store_->pipelines().LoadPlatformDeployments(repo_id_)->at(0).branch, "release/2.0");
}

LEADLINE_ON_EVERY_ENGINE(PlatformRowsTest);

}  // namespace
}  // namespace leadline::store::sql
