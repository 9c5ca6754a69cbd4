// End-to-end tests of a scope's report: `leadline report --repo 'acme/*' [--team NAME]` on
// repositories synced from the local Bitbucket double.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "bitbucket_cli_fixture.h"

namespace {

using leadline::testing::LeadlineRun;
using nlohmann::json;

class ScopeCliTest : public leadline::testing::BitbucketCliTest {
 protected:
  json Report(const std::string& args) const {
    const LeadlineRun run = Leadline("report " + args + " --window all --format json");
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return run.exit_code == 0 ? json::parse(run.out) : json();
  }
};

TEST_F(ScopeCliTest, APatternPoolsTheSelectedRepositories) {
  ConnectAndSelect(ConnectCloud(), "'acme/*'");
  ASSERT_EQ(Leadline("sync").exit_code, 0);
  const json scope = Report("--repo 'acme/*'");
  ASSERT_FALSE(scope.is_null());
  EXPECT_EQ(scope["scope"]["repositories"],
            json::array({"acme/repo-1", "acme/repo-2", "acme/repo-3"}));

  // The pooled counts are the sums of the repositories' own reports.
  std::int64_t deployments = 0, lead_sample = 0, merged = 0;
  for (const std::string repo : {"acme/repo-1", "acme/repo-2", "acme/repo-3"}) {
    const json one = Report("--repo " + repo);
    deployments += one["summary"]["deployments"].get<std::int64_t>();
    merged += one["pull_request_stages"]["merged"].get<std::int64_t>();
    const json& listed = scope["repositories"][static_cast<std::size_t>(repo.back() - '1')];
    EXPECT_EQ(listed["repository"], repo);
    EXPECT_EQ(listed["deployments"], one["summary"]["deployments"]);
  }
  for (const json& repo : scope["repositories"]) {
    lead_sample += repo["lead_time_sample"].get<std::int64_t>();
  }
  EXPECT_GT(deployments, 0);
  EXPECT_EQ(scope["summary"]["deployments"], deployments);
  EXPECT_EQ(scope["summary"]["lead_time_sample"], lead_sample);
  // Each repository's `--window all` starts at its own first deployment; the scope's at the
  // earliest of them, so it holds at least as many merged pull requests.
  EXPECT_GE(scope["pull_request_stages"]["merged"].get<std::int64_t>(), merged);
  EXPECT_FALSE(scope["trend"].empty());

  const LeadlineRun table = Leadline("report --repo 'acme/*' --window 30d");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("DORA metrics for 3 repositories matching 'acme/*'"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("Weekly trend"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("  acme/repo-2: "), std::string::npos) << table.out;

  const LeadlineRun csv = Leadline("report --repo 'acme/*' --format csv");
  EXPECT_EQ(csv.exit_code, 1);
  EXPECT_NE(csv.err.find("a scope prints json or table"), std::string::npos) << csv.err;
  const LeadlineRun none = Leadline("report --repo 'other/*'");
  EXPECT_EQ(none.exit_code, 1);
}

TEST_F(ScopeCliTest, ATeamNarrowsThePullRequestFigures) {
  ConnectAndSelect(ConnectCloud(), "'acme/*'");
  ASSERT_EQ(Leadline("sync").exit_code, 0);
  std::ofstream(dir_.Child("leadline.toml"))
      << "[teams.authors]\nmembers = [\"dev eloper\"]\n"
      << "[teams.reviewers]\nmembers = [\"Rita Reviewer\"]\n"
      << "[teams.by_email]\nmembers = [\"DEV@example.com\"]\n";
  const json everyone = Report("--repo 'acme/*'");
  // Cloud shows no e-mails: the member is found through the e-mail of the PRs' commits.
  const json by_email = Report("--repo 'acme/*' --team by_email");
  ASSERT_FALSE(by_email.is_null());
  EXPECT_EQ(by_email["scope"]["team_people"], 1);
  EXPECT_EQ(by_email["pull_request_stages"], everyone["pull_request_stages"]);
  const json authors = Report("--repo 'acme/*' --team authors");
  const json reviewers = Report("--repo 'acme/*' --team reviewers");
  ASSERT_FALSE(authors.is_null());
  ASSERT_FALSE(reviewers.is_null());
  // Every pull request of the double is by Dev Eloper; Rita only reviews.
  EXPECT_EQ(authors["scope"]["team"], "authors");
  EXPECT_EQ(authors["scope"]["team_people"], 1);
  EXPECT_EQ(authors["pull_request_stages"], everyone["pull_request_stages"]);
  EXPECT_EQ(reviewers["pull_request_stages"]["merged"], 0);
  // Deployments belong to repositories, not to people: the team leaves them as they are.
  EXPECT_EQ(reviewers["summary"]["deployments"], everyone["summary"]["deployments"]);

  const LeadlineRun unknown = Leadline("report --repo 'acme/*' --team search");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no team 'search'"), std::string::npos) << unknown.err;
  const LeadlineRun alone = Leadline("report --team authors");
  EXPECT_EQ(alone.exit_code, 1);
  EXPECT_NE(alone.err.find("--team needs --repo"), std::string::npos) << alone.err;
}

}  // namespace
