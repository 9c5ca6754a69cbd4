#include "engine/data_quality.h"

#include <gtest/gtest.h>

#include "testing/snapshot_script.h"

namespace leadline::engine {
namespace {

std::vector<std::string> Checks(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.check);
  return out;
}

TEST(DataQuality, AHealthyRepositoryHasNoFindings) {
  QualityFacts facts;
  facts.environments = 3;
  facts.deployments_in_window = 40;
  facts.default_branch = "main";
  facts.merged_pull_requests = 80;
  EXPECT_TRUE(CheckDataQuality(facts).empty());
}

TEST(DataQuality, EachProblemIsNamedWithWhatToChange) {
  QualityFacts facts;
  facts.proxy = true;
  facts.environments = 2;
  facts.deployments_in_window = 4;
  facts.default_branch = "main";
  facts.bot_like_authors = {"release-bot"};
  facts.off_default_branch = {"#12", "#14"};
  facts.first_deployment_in_window = true;
  facts.merged_pull_requests = 10;
  facts.estimated_pull_requests = 3;
  const auto findings = CheckDataQuality(facts);
  EXPECT_EQ(Checks(findings),
            (std::vector<std::string>{"no_production_environment", "small_sample",
                                      "bots_in_lead_time", "deployments_off_default_branch",
                                      "first_deployment_lookback", "unknown_branch_commits"}));
  EXPECT_NE(findings[0].message.find("none of its 2 deployment environments has the type "
                                     "Production"),
            std::string::npos);
  EXPECT_NE(findings[0].fix.find("Repository settings > Deployments"), std::string::npos);
  EXPECT_NE(findings[1].message.find("only 4 deployments"), std::string::npos);
  EXPECT_NE(findings[2].message.find("release-bot"), std::string::npos);
  EXPECT_NE(findings[3].message.find("2 production deployments"), std::string::npos);
  EXPECT_NE(findings[3].message.find("#12, #14"), std::string::npos);
  EXPECT_FALSE(findings[4].warning);
  EXPECT_NE(findings[5].message.find("3 of 10 merged pull requests"), std::string::npos);
  for (const Finding& finding : findings) EXPECT_FALSE(finding.fix.empty()) << finding.check;
}

TEST(DataQuality, FastForwardMergesWithoutTheirTargetCommitAreNotBlamedOnSyncing) {
  QualityFacts facts;
  facts.environments = 1;
  facts.deployments_in_window = 40;
  facts.default_branch = "main";
  facts.merged_pull_requests = 10;
  facts.target_unknown_pull_requests = 4;
  const auto findings = CheckDataQuality(facts);
  ASSERT_EQ(Checks(findings), std::vector<std::string>{"unknown_target_commits"});
  EXPECT_FALSE(findings[0].warning);
  EXPECT_NE(findings[0].message.find("4 of 10 merged pull requests were merged fast-forward or "
                                     "rebased"),
            std::string::npos);
  // Syncing more often cannot help a fast-forward merge: the advice must not say so.
  EXPECT_EQ(findings[0].fix.find("more often"), std::string::npos) << findings[0].fix;
}

TEST(DataQuality, SquashedBranchesTheHostNoLongerHoldsAreNamedApart) {
  QualityFacts facts;
  facts.environments = 1;
  facts.deployments_in_window = 40;
  facts.default_branch = "main";
  for (const CommitsUnknown why :
       {CommitsUnknown::kNo, CommitsUnknown::kBranchNotSeen, CommitsUnknown::kBranchGone,
        CommitsUnknown::kBranchGone, CommitsUnknown::kTargetNotRead}) {
    CountMergedPullRequest(why, facts);
  }
  EXPECT_EQ(facts.merged_pull_requests, 5u);
  const auto findings = CheckDataQuality(facts);
  ASSERT_EQ(Checks(findings),
            (std::vector<std::string>{"unknown_branch_commits", "branch_commits_gone",
                                      "unknown_target_commits"}));
  EXPECT_NE(findings[0].message.find("1 of 5 merged pull requests"), std::string::npos);
  EXPECT_NE(findings[1].message.find("2 of 5 merged pull requests were squashed from branches "
                                     "no sync saw, and the host no longer lists their commits"),
            std::string::npos)
      << findings[1].message;
  EXPECT_NE(findings[1].fix.find("more often"), std::string::npos);
}

TEST(DataQuality, IncidentSeveritiesAreChecked) {
  QualityFacts facts;
  facts.environments = 3;
  facts.deployments_in_window = 40;
  facts.every_incident_severity = true;
  facts.incident_severities = {{"P1", 2}, {"P4", 9}};
  auto findings = CheckDataQuality(facts);
  ASSERT_EQ(Checks(findings), std::vector<std::string>{"unfiltered_incident_severities"});
  EXPECT_NE(findings[0].message.find("P1 (2), P4 (9)"), std::string::npos);
  EXPECT_NE(findings[0].fix.find("incident_severities"), std::string::npos);
  // Every severity, but only one in the data: nothing to warn about.
  facts.incident_severities = {{"P1", 2}};
  EXPECT_TRUE(CheckDataQuality(facts).empty());

  facts.every_incident_severity = false;
  facts.excluded_incident_severities = {{"P3", 5}, {"", 1}};
  findings = CheckDataQuality(facts);
  ASSERT_EQ(Checks(findings), std::vector<std::string>{"incidents_left_out"});
  EXPECT_FALSE(findings[0].warning);
  EXPECT_NE(findings[0].message.find("6 incidents are not counted for their severity: (none) (1), "
                                     "P3 (5)"),
            std::string::npos);
}

TEST(DataQuality, DeploymentsOfCommitsNotOnTheDefaultBranchAreFound) {
  testing::SnapshotScript git;
  git.Commit("A", {}, 100);
  git.Commit("B", {"A"}, 200);
  git.Commit("side", {"A"}, 250);
  git.Commit("C", {"B"}, 300);
  git.Build();
  auto deployment = [&](const std::string& name, const std::string& ref) {
    model::Deployment d;
    d.sha = git.Sha(name);
    d.ref = ref;
    return d;
  };
  const std::vector<model::Deployment> deployments = {
      deployment("B", "v1"), deployment("side", "v2"), deployment("C", ""), deployment("side", "")};
  EXPECT_EQ(DeploymentsOffBranch(git.snapshot().graph, git["C"], deployments),
            (std::vector<std::string>{"v2", git.Sha("side").substr(0, 12)}));
  EXPECT_TRUE(DeploymentsOffBranch(git.snapshot().graph, kNoCommit, deployments).empty());
}

TEST(DataQualityTest, AGitLabProjectWithoutAProductionTierIsToldHowToSetOne) {
  QualityFacts facts;
  facts.provider = model::Provider::kGitLab;
  facts.proxy = true;
  facts.environments = 2;
  facts.default_branch = "main";
  facts.deployments_in_window = 40;
  const auto findings = CheckDataQuality(facts);
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings[0].check, "no_production_environment");
  EXPECT_NE(findings[0].message.find("none of its 2 environments has the tier production"),
            std::string::npos)
      << findings[0].message;
  EXPECT_NE(findings[0].fix.find("deployment_tier: production"), std::string::npos);
  EXPECT_EQ(findings[0].fix.find("Bitbucket"), std::string::npos) << findings[0].fix;
}

}  // namespace
}  // namespace leadline::engine
