#include "engine/deployment_selection.h"

#include <gtest/gtest.h>

#include "testing/snapshot_script.h"

namespace leadline::engine {
namespace {

using model::PlatformDeploymentState;
using model::PlatformDeploymentStatus;

model::PlatformDeployment Record(const std::string& uuid, model::EnvironmentType type,
                                 PlatformDeploymentState state,
                                 std::optional<PlatformDeploymentStatus> status,
                                 common::UnixSeconds completed) {
  model::PlatformDeployment record;
  record.uuid = uuid;
  record.environment_uuid = "{env}";
  record.environment_name = type == model::EnvironmentType::kProduction ? "Prod" : "Staging";
  record.environment_type = type;
  record.state = state;
  record.status = status;
  record.commit_sha = std::string(40, 'a');
  record.completed_at = completed;
  record.release_name = "#" + uuid;
  return record;
}

TEST(ProductionDeployments, AreTheCompletedOnesOfProductionEnvironmentsInTimeOrder) {
  const auto kProduction = model::EnvironmentType::kProduction;
  const std::vector<model::PlatformDeployment> records = {
      Record("3", kProduction, PlatformDeploymentState::kCompleted,
             PlatformDeploymentStatus::kSuccessful, 300),
      Record("1", kProduction, PlatformDeploymentState::kCompleted,
             PlatformDeploymentStatus::kFailed, 100),
      Record("s", model::EnvironmentType::kStaging, PlatformDeploymentState::kCompleted,
             PlatformDeploymentStatus::kSuccessful, 150),
      Record("x", kProduction, PlatformDeploymentState::kCompleted,
             PlatformDeploymentStatus::kStopped, 160),
      Record("r", kProduction, PlatformDeploymentState::kInProgress, std::nullopt, 170),
  };
  const auto deployments = ProductionDeployments(records);
  ASSERT_EQ(deployments.size(), 2u);
  EXPECT_EQ(deployments[0].natural_key, "bitbucket-cloud:1");
  EXPECT_EQ(deployments[0].status, model::DeploymentStatus::kFailure);
  EXPECT_EQ(deployments[0].finished_at, 100);
  EXPECT_EQ(deployments[0].environment, "Prod");
  EXPECT_EQ(deployments[1].natural_key, "bitbucket-cloud:3");
  EXPECT_EQ(deployments[1].status, model::DeploymentStatus::kSuccess);
  EXPECT_EQ(deployments[1].ref, "#3");
  EXPECT_EQ(deployments[1].started_at, std::nullopt);  // the record names neither
  EXPECT_EQ(deployments[1].branch, "");
  std::vector<model::PlatformDeployment> with_branch = {records[0]};
  with_branch[0].started_at = 240;
  with_branch[0].branch = "release/3";
  const auto started = ProductionDeployments(with_branch);
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].started_at, 240);
  EXPECT_EQ(started[0].branch, "release/3");

  // Settings may name environments, by type or by name, without case.
  const auto with_staging = ProductionDeployments(records, {"production", "STAGING"});
  EXPECT_EQ(with_staging.size(), 3u);
  EXPECT_EQ(ProductionDeployments(records, {"Prod"}).size(), 2u);  // the name of the first two
  EXPECT_TRUE(ProductionDeployments(records, {"prod-eu"}).empty());
}

TEST(MergeProxyDeployments, AreMergesIntoTheDefaultBranchAtTheirMergeTime) {
  testing::SnapshotScript git;
  git.Commit("A", {}, 1000);
  git.Commit("f1", {"A"}, 1100);
  git.Commit("M1", {"A", "f1"}, 1200);  // merged with a merge commit
  git.Commit("S2", {"M1"}, 1300);       // squashed
  git.Build();
  auto merged = [&](std::int64_t number, const std::string& commit, const std::string& target) {
    model::PullRequest pr;
    pr.number = number;
    pr.state = model::PullRequestState::kMerged;
    pr.target_branch = target;
    pr.merge_commit = git.Sha(commit).substr(0, 12);  // Cloud's abbreviated hash
    return pr;
  };
  std::vector<model::PullRequest> prs = {merged(2, "S2", "main"), merged(1, "M1", "main"),
                                         merged(3, "f1", "release/1")};
  prs[0].closed_at = 1310;  // closed_on, when the host gave it
  model::PullRequest lost = merged(4, "A", "main");
  lost.merge_commit = "0123456789ab";  // not in the graph
  prs.push_back(lost);
  model::PullRequest open;
  open.number = 5;
  prs.push_back(open);

  const ProxyDeployments proxy = MergeProxyDeployments(git.snapshot(), prs, "main");
  ASSERT_EQ(proxy.deployments.size(), 2u);
  EXPECT_EQ(proxy.deployments[0].sha, git.Sha("M1"));
  EXPECT_EQ(proxy.deployments[0].finished_at, 1200);  // the merge commit's time
  EXPECT_EQ(proxy.deployments[0].ref, "#1");
  EXPECT_EQ(proxy.deployments[0].source, "merge-proxy");
  EXPECT_EQ(proxy.deployments[0].branch, "main");  // the branch merged into
  EXPECT_EQ(proxy.deployments[1].sha, git.Sha("S2"));
  EXPECT_EQ(proxy.deployments[1].finished_at, 1310);
  EXPECT_EQ(proxy.unresolved, 1u);
}

TEST(MergeProxyDeployments, TheMergeBeforeTheFirstOneIsFoundAlongFirstParents) {
  testing::SnapshotScript git;
  git.Commit("A", {}, 1000);
  git.Commit("S0", {"A"}, 1100, "Merged in feature/old (pull request #1)");  // a squash
  git.Commit("d1", {"S0"}, 1200);                                            // pushed directly
  git.Commit("f1", {"d1"}, 1300);
  git.Commit("f2", {"f1"}, 1400);  // fast-forwarded into main: the first merge synced
  git.Build();
  model::PullRequest pr;
  pr.number = 2;
  pr.state = model::PullRequestState::kMerged;
  pr.target_branch = "main";
  pr.merge_commit = git.Sha("f2").substr(0, 12);
  pr.source_commit = pr.merge_commit.value();
  // Its target before the merge (d1) and back: S0 names the branch it merged.
  pr.target_commit = git.Sha("d1").substr(0, 12);
  EXPECT_EQ(MergeProxyDeployments(git.snapshot(), {{pr}}, "main").previous_merge, git["S0"]);
  // Without the target commit, from the merge's own first parent: the same merge.
  pr.target_commit.clear();
  EXPECT_EQ(MergeProxyDeployments(git.snapshot(), {{pr}}, "main").previous_merge, git["S0"]);

  // A history with no merge before it: the first merge synced is the first in history.
  testing::SnapshotScript young;
  young.Commit("A", {}, 1000);
  young.Commit("f1", {"A"}, 1300);
  young.Build();
  pr.merge_commit = young.Sha("f1");
  EXPECT_EQ(MergeProxyDeployments(young.snapshot(), {{pr}}, "main").previous_merge, kNoCommit);
  EXPECT_EQ(MergeProxyDeployments(young.snapshot(), {}, "main").previous_merge, kNoCommit);
}

model::Deployment Deployed(const std::string& ref, const std::string& environment, char commit,
                           common::UnixSeconds at, bool success = true) {
  model::Deployment d;
  d.ref = ref;
  d.natural_key = ref;
  d.environment = environment;
  d.sha = std::string(40, commit);
  d.finished_at = at;
  d.status = success ? model::DeploymentStatus::kSuccess : model::DeploymentStatus::kFailure;
  return d;
}

std::vector<std::string> Refs(const std::vector<model::Deployment>& deployments) {
  std::vector<std::string> refs;
  for (const model::Deployment& d : deployments) refs.push_back(d.ref);
  return refs;
}

TEST(CombineReleases, OneEnvironmentsDeploymentsStayAsTheyAre) {
  const std::vector<model::Deployment> one = {
      Deployed("#1", "prod", 'a', 100, false), Deployed("#2", "prod", 'a', 200),
      Deployed("#3", "prod", 'a', 300)};  // a failure, its re-run, a redeploy
  EXPECT_EQ(CombineReleases(one, 24 * common::kHour), one);
}

TEST(CombineReleases, ARegionFailingWithoutARerunFailsTheRelease) {
  const auto releases =
      CombineReleases({Deployed("#1", "eu", 'a', 100, false), Deployed("#2", "us", 'a', 200),
                       Deployed("#3", "eu", 'a', 300, false)},
                      24 * common::kHour);
  ASSERT_EQ(Refs(releases), std::vector<std::string>{"#2"});
  EXPECT_EQ(releases[0].finished_at, 200);  // the first successful finish
  EXPECT_EQ(releases[0].environment, "eu, us");
  EXPECT_EQ(releases[0].failed_environments, std::vector<std::string>{"eu"});

  // Failed everywhere: one failed deployment, at the first finish.
  const auto failed = CombineReleases(
      {Deployed("#1", "eu", 'a', 100, false), Deployed("#2", "us", 'a', 200, false)},
      24 * common::kHour);
  ASSERT_EQ(Refs(failed), std::vector<std::string>{"#1"});
  EXPECT_EQ(failed[0].status, model::DeploymentStatus::kFailure);
  EXPECT_TRUE(failed[0].failed_environments.empty());
}

TEST(CombineReleases, ARedeployOrALateRegionIsAnotherRelease) {
  const common::Seconds day = 24 * common::kHour;
  const auto releases = CombineReleases(
      {Deployed("#1", "eu", 'a', 0), Deployed("#2", "us", 'a', 100), Deployed("#3", "eu", 'b', 200),
       Deployed("#4", "eu", 'a', 300),             // eu back to a
       Deployed("#5", "us", 'b', 200 + day + 1)},  // us after the window
      day);
  EXPECT_EQ(Refs(releases), (std::vector<std::string>{"#1", "#3", "#4", "#5"}));
  EXPECT_EQ(releases[0].environment, "eu, us");
  EXPECT_EQ(releases[2].environment, "eu");
}

}  // namespace
}  // namespace leadline::engine
