// The Bitbucket double's organisation (the demo's): each repository serves its own history at its
// own pace, every one within the configured period, made in the background; the uniform workspace's
// repositories share one.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "bitbucket_double/bitbucket_double.h"
#include "bitbucket_double/repository_histories.h"
#include "common/time.h"
#include "testing/git_script.h"

namespace {

using leadline::testing::BitbucketDouble;
using leadline::testing::BitbucketDoubleConfig;
using nlohmann::json;

constexpr std::int64_t kPace = 3600;
constexpr int kPullRequests = 60;
constexpr int kBuilds = 30;

BitbucketDoubleConfig Config(bool organisation) {
  BitbucketDoubleConfig config;
  config.repositories = 4;
  config.pull_requests_per_repo = kPullRequests;
  config.pipelines_per_repo = kBuilds;
  config.deployments_per_repo = kBuilds;
  config.pace_seconds = kPace;
  config.organisation = organisation;
  return config;
}

// The first page of a Cloud listing of repo-`repo`, newest first.
json Newest(BitbucketDouble& bitbucket, int repo, const std::string& what) {
  httplib::Client client("127.0.0.1", bitbucket.port());
  client.set_basic_auth("dev@example.com", "cloud-api-token");
  auto answer = client.Get("/2.0/repositories/acme/repo-" + std::to_string(repo) + "/" + what);
  EXPECT_TRUE(answer) << what;
  if (!answer) return json();
  EXPECT_EQ(answer->status, 200) << answer->body;
  return json::parse(answer->body);
}

std::int64_t Time(const json& value) {
  auto parsed = leadline::common::ParseRfc3339(value.get<std::string>());
  EXPECT_TRUE(parsed.ok()) << value;
  return parsed.ok() ? *parsed : 0;
}

// main's tip of repo-`repo`, over git's smart HTTP.
std::string MainTip(BitbucketDouble& bitbucket, int repo) {
  const auto run = leadline::testing::RunCommand(
      "git ls-remote http://x-bitbucket-api-token-auth:cloud-api-token@127.0.0.1:" +
      std::to_string(bitbucket.port()) + "/acme/repo-" + std::to_string(repo) +
      ".git refs/heads/main");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  return run.output.substr(0, 40);
}

TEST(DoubleOrganisation, EachRepositoryHasItsOwnHistoryAndPaceWithinThePeriod) {
  BitbucketDouble bitbucket(Config(true));
  const std::int64_t start = Config(true).history_start;
  std::set<int> pull_requests;
  std::set<std::string> tips;
  std::set<std::string> first_authors;
  for (int repo = 1; repo <= 4; ++repo) {
    const json prs = Newest(bitbucket, repo,
                            "pullrequests?state=OPEN&state=MERGED&state=DECLINED&pagelen=50"
                            "&sort=-updated_on");
    pull_requests.insert(prs["size"].get<int>());
    first_authors.insert(prs["values"][0]["author"]["nickname"].get<std::string>());
    // Nothing comes after the configured period's last pull request, pipeline or deployment.
    EXPECT_LE(Time(prs["values"][0]["updated_on"]), start + kPullRequests * kPace + kPace / 2)
        << repo;
    const json pipelines = Newest(bitbucket, repo, "pipelines/?sort=-created_on");
    EXPECT_LE(Time(pipelines["values"][0]["created_on"]), start + kBuilds * 2 * kPace + 60) << repo;
    const json deployments = Newest(bitbucket, repo, "deployments/?sort=-state.started_on");
    EXPECT_LE(Time(deployments["values"][0]["state"]["start_date"]),
              start + kBuilds * 2 * kPace + 400 + repo * 37 * 60)
        << repo;
    tips.insert(MainTip(bitbucket, repo));
  }
  EXPECT_EQ(pull_requests.size(), 4u);
  EXPECT_EQ(tips.size(), 4u);
  EXPECT_GT(first_authors.size(), 1u);
}

TEST(DoubleOrganisation, TheUniformWorkspacesRepositoriesShareOneHistory) {
  BitbucketDouble bitbucket(Config(false));
  EXPECT_EQ(MainTip(bitbucket, 1), MainTip(bitbucket, 4));
  EXPECT_EQ(Newest(bitbucket, 1, "pullrequests?state=MERGED")["size"],
            Newest(bitbucket, 4, "pullrequests?state=MERGED")["size"]);
}

// An organisation's histories are made in the background; a history that cannot be made throws
// what went wrong from at(), and only for that one.
TEST(DoubleOrganisation, AHistoryThatCannotBeMadeThrowsOnlyWhenAskedFor) {
  leadline::testing::RepositoryHistories histories(
      4, 1767225600, [](leadline::testing::GitHistory& history, int index) {
        if (index == 2) throw std::runtime_error("history 2 cannot be made");
        history.GrowTo(index, [](int number) {
          leadline::testing::HistoryChange change;
          change.branch = "feature/" + std::to_string(number);
          change.committed = 1767225600 + number * 3600;
          return change;
        });
      });
  EXPECT_EQ(histories.size(), 4);
  EXPECT_EQ(histories.at(3).size(), 3);
  EXPECT_EQ(histories.at(1).size(), 1);
  EXPECT_THROW(
      {
        try {
          histories.at(2);
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "history 2 cannot be made");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_THROW(histories.at(4), std::out_of_range);
}

}  // namespace
