// End-to-end tests of `leadline sync`: the real binary against the local Bitbucket double,
// including a backfill killed with SIGKILL and resumed.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "bitbucket_cli_fixture.h"
#include "bitbucket_double/cloud_workspace.h"
#include "common/time.h"
#include "store/store.h"

extern char** environ;

namespace {

using leadline::testing::LeadlineRun;
using leadline::testing::ShellQuote;

using SyncCliTest = leadline::testing::BitbucketCliTest;

TEST_F(SyncCliTest, SyncBackfillsSelectedRepositoriesThenOnlyWhatChanged) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  const LeadlineRun unselected = Leadline("sync");
  EXPECT_EQ(unselected.exit_code, 1);
  EXPECT_NE(unselected.err.find("no repository is selected"), std::string::npos) << unselected.err;

  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  ASSERT_EQ(Leadline("repos select acme/repo-1 acme/repo-2").exit_code, 0);
  const LeadlineRun first = Leadline("sync");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // 60 pull requests (20 merged, 8 declined) with 178 activity entries: 60 opened, 30 comments
  // (even numbers), 8 changes requested (multiples of 7), 52 approvals (all but the declined),
  // 28 merges and declines; 4 pipelines and 3 deployments. 63 commits: the first one, 20 merged
  // (10 by merge commits, which bring their branch's commit: 30), 32 open branches' commits. The
  // 10 squashed ones' branches were deleted unmirrored: the host is asked for their commits, and
  // lists them for all but #30 and #60.
  EXPECT_NE(first.out.find("acme/repo-1: 63 commits (63 new), 60 pull requests, 178 activity "
                           "entries, 4 pipelines, 3 deployments, commits of 10 squashed pull "
                           "requests read (8 listed) (316 new or changed)"),
            std::string::npos)
      << first.out;
  // Per repository: 4 activity pages of 50, 2 pull request pages of 50, 1 pipeline page, 1
  // deployment page, 1 environment page, 10 squashed pull requests' commits; the git fetch is
  // not an API request.
  EXPECT_NE(first.out.find("Synced 2 of 2 repositories: 38 API requests (0 retried), "),
            std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find(" KB of git objects, 632 rows new or changed."), std::string::npos)
      << first.out;

  const LeadlineRun again = Leadline("sync --repo acme/repo-1");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("acme/repo-1: 63 commits (0 new), 0 pull requests (unchanged)"),
            std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find("Synced 1 of 1 repositories: 2 API requests (0 retried), 0 KB of git "
                           "objects, 0 rows"),
            std::string::npos)
      << again.out;
}

TEST_F(SyncCliTest, SyncRetriesServerErrors) {
  ConnectAndSelect(ConnectCloud(), "acme/repo-3");
  bitbucket_.FailNext(1, 503);  // the git fetch's first request
  LeadlineRun run = Leadline("sync");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("leadline: waiting: git fetch of "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("503; trying again in 1 s"), std::string::npos) << run.err;

  ASSERT_EQ(Leadline("repos select acme/repo-2").exit_code, 0);
  bitbucket_.FailNext(1, 503, /*pass_first=*/2);  // the first API request, after the git fetch
  run = Leadline("sync --repo acme/repo-2");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("leadline: waiting: HTTP 503"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("20 API requests (1 retried), "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("316 rows new or changed"), std::string::npos) << run.out;
}

TEST_F(SyncCliTest, DataCenterRepositoriesSyncTheirHistoryPullRequestsAndBuilds) {
  ConnectAndSelect(ConnectDataCenter(), "PROJ/repo-1");
  const LeadlineRun run = Leadline("sync");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // The workspace of the Cloud test above, as Data Center serves it: its four pipelines are
  // build statuses, and its 63 commits come with the 10 squashed and 8 declined pull requests'
  // own, which Data Center keeps under refs/pull-requests/<n>/from after their branches go.
  EXPECT_NE(run.out.find("PROJ/repo-1: 81 commits (81 new), 60 pull requests, 178 activity "
                         "entries, 4 build statuses ("),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("Synced 1 of 1 repositories"), std::string::npos) << run.out;

  const LeadlineRun again = Leadline("sync");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("(0 new or changed)"), std::string::npos) << again.out;
}

TEST_F(SyncCliTest, ReportOnASyncedRepositoryUsesItsProductionDeployments) {
  ConnectAndSelect(ConnectCloud(), "acme/repo-1");
  const LeadlineRun before_sync = Leadline("report --repo acme/repo-1");
  EXPECT_EQ(before_sync.exit_code, 1);
  EXPECT_NE(before_sync.err.find("run `leadline sync --repo acme/repo-1` first"), std::string::npos)
      << before_sync.err;
  ASSERT_EQ(Leadline("sync").exit_code, 0);

  const LeadlineRun run = Leadline("report --repo acme/repo-1 --window all --format json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto report = nlohmann::json::parse(run.out);
  // Deployments 1..3 alternate between Staging and Production: only #2 went to production.
  EXPECT_EQ(report["summary"]["proxy"], false) << run.out;
  EXPECT_EQ(report["summary"]["deployments"], 1) << run.out;
  EXPECT_EQ(report["summary"]["repository"], "acme/repo-1");
  // `--window all` starts at the first deployment (#2, 4 h 7 min in), after pull request 3 was
  // merged: 19 of the 20 merged pull requests are in it. Each branch commit was authored 10
  // minutes before its pull request was opened; the 10 squashed ones' branches were deleted
  // before the sync saw them, so their commits come from the host, which lists them for all but
  // #30 and #60: those two have no first commit.
  const auto& stages = report["pull_request_stages"];
  EXPECT_EQ(stages["merged"], 19) << run.out;
  EXPECT_EQ(stages["commits_estimated"], 2) << run.out;
  EXPECT_EQ(stages["coding"]["count"], 17) << run.out;
  EXPECT_EQ(stages["coding"]["median_s"], 600) << run.out;
  for (const auto& pr : report["pull_requests"]) {
    const bool gone = pr["number"] == 30 || pr["number"] == 60;
    EXPECT_EQ(pr["commits_estimated"], gone) << pr.dump();
    if (pr["number"].get<int>() % 6 == 0 && !gone) {
      EXPECT_EQ(pr["coding_s"], 600) << pr.dump();
    }
  }
  const LeadlineRun doctor = Leadline("doctor --repo acme/repo-1 --window all");
  EXPECT_NE(doctor.out.find("2 of 19 merged pull requests were squashed from branches no sync "
                            "saw, and the host no longer lists their commits"),
            std::string::npos)
      << doctor.out << doctor.err;
  EXPECT_EQ(doctor.out.find("unknown_branch_commits"), std::string::npos) << doctor.out;
  // First review: a comment after 10 minutes (even numbers), changes requested after 15 (every
  // seventh), else the approval after 20; merged after 30.
  EXPECT_EQ(stages["pickup"]["count"], stages["merged"]) << run.out;
  // Sizes come from the mirror: every commit of the double adds one one-line file, so a merge
  // changes as many files as its branch had commits, and a squash one.
  EXPECT_EQ(stages["size_lines"]["count"], stages["merged"]) << run.out;
  for (const auto& pr : report["pull_requests"]) {
    ASSERT_TRUE(pr["files_changed"].is_number()) << pr.dump();
    EXPECT_GE(pr["files_changed"].get<int>(), 1) << pr.dump();
    EXPECT_EQ(pr["lines_added"], pr["files_changed"]) << pr.dump();
    EXPECT_EQ(pr["lines_deleted"], 0) << pr.dump();
    if (pr["commits_estimated"] == false) {
      EXPECT_EQ(pr["files_changed"], pr["commits"]) << pr.dump();
    }
  }

  const LeadlineRun unknown = Leadline("report --repo acme/nope");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no connected repository 'acme/nope' (selected ones: acme/repo-1)"),
            std::string::npos)
      << unknown.err;
  const LeadlineRun both = Leadline("report --repo acme/repo-1 --git .");
  EXPECT_NE(both.exit_code, 0);
  const LeadlineRun neither = Leadline("report");
  EXPECT_EQ(neither.exit_code, 1);
  EXPECT_NE(neither.err.find("--git PATH (a local clone) or --repo NAME"), std::string::npos)
      << neither.err;
}

TEST_F(SyncCliTest, DataCenterSquashedPullRequestsOfDeletedBranchesKeepTheirCommits) {
  // On Cloud (the test above) the 10 squashed pull requests' branches were deleted before the
  // sync saw them: their first commits are estimated. Data Center keeps every pull request's
  // source commit under refs/pull-requests/<n>/from, which the mirror fetches.
  ConnectAndSelect(ConnectDataCenter(), "PROJ/repo-1");
  ASSERT_EQ(Leadline("sync").exit_code, 0);
  const LeadlineRun run = Leadline("report --repo PROJ/repo-1 --window all --format json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto report = nlohmann::json::parse(run.out);
  const auto& stages = report["pull_request_stages"];
  EXPECT_GE(stages["merged"], 19) << run.out;
  EXPECT_EQ(stages["commits_estimated"], 0) << run.out;
  EXPECT_EQ(stages["coding"]["count"], stages["merged"]) << run.out;
  EXPECT_EQ(stages["coding"]["median_s"], 600) << run.out;
  ASSERT_EQ(report["pull_requests"].size(), stages["merged"]) << run.out;
  for (const auto& pr : report["pull_requests"]) {
    EXPECT_EQ(pr["commits_estimated"], false) << pr.dump();
    EXPECT_EQ(pr["commits"], 1) << pr.dump();  // each branch had one commit
  }

  // The pull request refs are not branches: main and the 32 open pull requests' branches.
  auto store = std::move(leadline::store::OpenStore(db())).value();
  const auto repos = *store->repositories().LoadConnectedRepositories();
  const auto repo = std::find_if(repos.begin(), repos.end(),
                                 [](const auto& r) { return r.location == "PROJ/repo-1"; });
  ASSERT_NE(repo, repos.end());
  const auto refs = *store->history().LoadRefs(repo->id);
  EXPECT_EQ(refs.size(), 33u);
  for (const leadline::model::Ref& ref : refs) {
    EXPECT_EQ(ref.name.find("pull-requests"), std::string::npos) << ref.name;
  }
}

TEST_F(SyncCliTest, LeadlineTomlBesideTheStoreSaysWhichEnvironmentsAreProduction) {
  ConnectAndSelect(ConnectCloud(), "acme/repo-1");
  ASSERT_EQ(Leadline("sync").exit_code, 0);
  const auto deployments = [&](const std::string& extra) {
    const LeadlineRun run =
        Leadline("report --repo acme/repo-1 --window all --format json" + extra);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return run.exit_code == 0 ? nlohmann::json::parse(run.out)["summary"]["deployments"]
                              : nlohmann::json();
  };
  EXPECT_EQ(deployments(""), 1);  // by type: only #2 went to an environment of type Production

  std::ofstream(dir_.Child("leadline.toml"))
      << "[repositories.\"acme/repo-1\"]\nproduction_environments = [\"Production\", "
         "\"staging\"]\nproduction = \"each\"\n";
  EXPECT_EQ(deployments(""), 3);  // #1 and #3 went to Staging, now named production too
  // Counted once (the default), #2 takes Production the commit #1 took to Staging two hours
  // before: one release of it to two production environments.
  std::ofstream(dir_.Child("leadline.toml"))
      << "[repositories.\"acme/repo-1\"]\nproduction_environments = [\"Production\", "
         "\"staging\"]\n";
  EXPECT_EQ(deployments(""), 2);

  std::ofstream(dir_.Child("other.toml")) << "[defaults]\nproduction_environments = [\"Test\"]\n";
  // No deployment went to a Test environment: merges stand in, as a proxy (20 merged).
  EXPECT_EQ(deployments(" --config " + ShellQuote(dir_.Child("other.toml"))), 20);

  const LeadlineRun missing = Leadline("report --repo acme/repo-1 --config nowhere.toml");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("--config: 'nowhere.toml' does not exist"), std::string::npos)
      << missing.err;
  std::ofstream(dir_.Child("leadline.toml"))
      << "[defaults]\nproduction_environment = [\"Production\"]\n";
  const LeadlineRun bad = Leadline("doctor");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("leadline.toml line 2: key 'production_environment': unknown"),
            std::string::npos)
      << bad.err;
}

TEST_F(SyncCliTest, DeploymentsPushedByCiCountBesideBitbucketsOwn) {
  ConnectAndSelect(ConnectCloud(), "acme/repo-1");
  ASSERT_EQ(Leadline("sync").exit_code, 0);
  const auto report = [&]() {
    const LeadlineRun run = Leadline("report --repo acme/repo-1 --window all --format json");
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return run.exit_code == 0 ? nlohmann::json::parse(run.out) : nlohmann::json();
  };
  const nlohmann::json before = report();
  ASSERT_EQ(before["summary"]["deployments"], 1);
  const std::string sha = before["deployments"][0]["sha"];
  const std::string at = leadline::common::FormatRfc3339(leadline::common::NowUnixSeconds() - 60);

  // A file naming a repository that is not connected stores nothing.
  const std::string file = dir_.Child("deployments.json");
  std::ofstream(file)
      << R"([{"id": "ci-1", "repository": "acme/repo-1", "environment": "production",
    "commit": ")"
      << sha << R"(", "status": "success", "finished_at": ")" << at << R"("},
    {"id": "ci-2", "repository": "acme/elsewhere", "environment": "production",
    "commit": ")"
      << sha << R"(", "status": "failed", "finished_at": ")" << at << R"("}])";
  const LeadlineRun unknown = Leadline("deployments import " + ShellQuote(file));
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no repository 'acme/elsewhere'; nothing was stored"),
            std::string::npos)
      << unknown.err;
  EXPECT_EQ(report()["summary"]["deployment_attempts"], 1);

  std::ofstream(file) << R"({"deployments": [{"id": "ci-1", "repository": "acme/repo-1",
    "environment": "production", "commit": ")"
                      << sha.substr(0, 12) << R"(", "status": "success",
    "finished_at": ")" << at
                      << R"(", "pipeline_id": "deploy", "run_id": "7"}]})";
  const LeadlineRun imported = Leadline("deployments import " + ShellQuote(file));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("Imported 1 deployments"), std::string::npos) << imported.out;
  const nlohmann::json after = report();
  EXPECT_EQ(after["summary"]["deployments"], 2) << after.dump(2);
  EXPECT_EQ(after["deployments"][1]["ref"], "deploy #7");
  // The same file again changes nothing.
  EXPECT_NE(Leadline("deployments import " + ShellQuote(file)).out.find("(0 new or changed)"),
            std::string::npos);
}

TEST_F(SyncCliTest, WithoutProductionDeploymentsMergesAreAFlaggedProxyAndDoctorSaysWhy) {
  ConnectAndSelect(ConnectDataCenter(), "PROJ/repo-1");
  ASSERT_EQ(Leadline("sync").exit_code, 0);
  const LeadlineRun run = Leadline("report --repo PROJ/repo-1 --window all --format json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto report = nlohmann::json::parse(run.out);
  // Data Center lists no deployments: the 20 pull requests merged into main stand in for them.
  EXPECT_EQ(report["summary"]["proxy"], true) << run.out;
  EXPECT_EQ(report["summary"]["deployments"], 20) << run.out;
  const LeadlineRun table = Leadline("report --repo PROJ/repo-1 --window all");
  EXPECT_NE(table.out.find("Proxy: no production deployments"), std::string::npos) << table.out;

  // doctor says why, and what to change.
  const LeadlineRun doctor = Leadline("doctor");
  ASSERT_EQ(doctor.exit_code, 0) << doctor.err;
  EXPECT_NE(doctor.out.find("PROJ/repo-1:\n  warning [no_production_environment] no deployments "
                            "are recorded, so every pull request merged into main counts as one"),
            std::string::npos)
      << doctor.out;
  EXPECT_NE(doctor.out.find("what to change: "), std::string::npos) << doctor.out;
  const LeadlineRun json = Leadline("doctor --format json --window all");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto findings = nlohmann::json::parse(json.out);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]["repository"], "PROJ/repo-1");
  EXPECT_EQ(findings[0]["findings"][0]["check"], "no_production_environment");
  EXPECT_EQ(findings[0]["findings"][0]["severity"], "warning");
  EXPECT_EQ(Leadline("doctor --window soon").exit_code, 1);
  const LeadlineRun unmatched = Leadline("doctor --repo 'acme/*'");
  EXPECT_EQ(unmatched.exit_code, 1);
  EXPECT_NE(unmatched.err.find("no selected repository matches 'acme/*'"), std::string::npos)
      << unmatched.err;
}

// A reviewer publishes three pending comments on merged pull request 6 at once: the three share
// their second, their author and their kind, and only their ids tell them apart. Each counts.
class PublishedCommentsCliTest : public leadline::testing::BitbucketCliTest {
 protected:
  void ExpectEachCounts(const std::string& connect, const std::string& location) {
    leadline::testing::CloudWorkspaceShape shape;
    shape.start = config_.history_start;
    bitbucket_.PublishComments(6, 3, leadline::testing::PullRequestClosedOn(shape, 6) + 3600);
    ConnectAndSelect(connect, location);
    const LeadlineRun sync = Leadline("sync");
    ASSERT_EQ(sync.exit_code, 0) << sync.err;
    // The 178 entries of the workspace and the three comments. Data Center's mirror also has the
    // squashed and declined pull requests' own commits (refs/pull-requests/<n>/from).
    const std::string commits =
        location.starts_with("PROJ/") ? "81 commits (81 new)" : "63 commits (63 new)";
    EXPECT_NE(sync.out.find(location + ": " + commits + ", 60 pull requests, 181 activity entries"),
              std::string::npos)
        << sync.out;
    const std::string report_args = "report --repo " + location + " --window all --format json";
    const LeadlineRun run = Leadline(report_args);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto pull_requests = nlohmann::json::parse(run.out)["pull_requests"];
    const auto numbered = [&](int number) {
      return std::find_if(pull_requests.begin(), pull_requests.end(),
                          [&](const nlohmann::json& pr) { return pr["number"] == number; });
    };
    const auto six = numbered(6);
    ASSERT_NE(six, pull_requests.end()) << run.out;
    // The reviewer's comment ten minutes after the opening, and the three published later.
    EXPECT_EQ((*six)["review_comments"], 4) << six->dump();
    EXPECT_EQ((*six)["reviewers"], 1) << six->dump();
    // Merged pull request 12 (even, so commented once) is as it was.
    const auto twelve = numbered(12);
    ASSERT_NE(twelve, pull_requests.end()) << run.out;
    EXPECT_EQ((*twelve)["review_comments"], 1) << twelve->dump();

    // A repeat sync stores none of them again.
    ASSERT_EQ(Leadline("sync").exit_code, 0);
    EXPECT_EQ(nlohmann::json::parse(Leadline(report_args).out)["pull_requests"], pull_requests);
  }
};

TEST_F(PublishedCommentsCliTest, CloudCommentsPublishedTogetherEachCount) {
  ExpectEachCounts(ConnectCloud(), "acme/repo-1");
}

TEST_F(PublishedCommentsCliTest, DataCenterCommentsPublishedTogetherEachCount) {
  ExpectEachCounts(ConnectDataCenter(), "PROJ/repo-1");
}

TEST_F(SyncCliTest, ABadSinceIsExplainedBeforeAnythingIsAsked) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  const int before = bitbucket_.requests();
  const LeadlineRun run = Leadline("sync --since soon");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("leadline: error: --since: "), std::string::npos) << run.err;
  EXPECT_EQ(bitbucket_.requests(), before);
}

// Three repositories synced at once store what one at a time would: each repository's counts are
// those of its backfill alone (the double's repositories are alike), and a repeat sync one at a
// time finds nothing new or changed.
TEST_F(SyncCliTest, RepositoriesSyncedAtOnceStoreWhatOneAtATimeDoes) {
  ConnectAndSelect(ConnectCloud(), "'acme/repo-*'");
  const LeadlineRun together = Leadline("sync --jobs 3");
  ASSERT_EQ(together.exit_code, 0) << together.err;
  for (const char* repo : {"acme/repo-1", "acme/repo-2", "acme/repo-3"}) {
    EXPECT_NE(together.out.find(std::string(repo) +
                                ": 63 commits (63 new), 60 pull requests, 178 activity entries, "
                                "4 pipelines, 3 deployments, commits of 10 squashed pull requests "
                                "read (8 listed) (316 new or changed)"),
              std::string::npos)
        << together.out;
  }
  // The lines come in the repositories' order, whichever finished first.
  EXPECT_LT(together.out.find("acme/repo-1:"), together.out.find("acme/repo-2:"));
  EXPECT_LT(together.out.find("acme/repo-2:"), together.out.find("acme/repo-3:"));
  EXPECT_NE(together.out.find("Synced 3 of 3 repositories: 57 API requests (0 retried), "),
            std::string::npos)
      << together.out;

  const LeadlineRun again = Leadline("sync --jobs 1");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("Synced 3 of 3 repositories: 6 API requests (0 retried), 0 KB of git "
                           "objects, 0 rows new or changed."),
            std::string::npos)
      << again.out;
}

TEST_F(SyncCliTest, AJobsCountOutOfRangeIsRefusedBeforeAnythingIsAsked) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  const int before = bitbucket_.requests();
  for (const char* jobs : {"0", "17", "many"}) {
    const LeadlineRun run = Leadline(std::string("sync --jobs ") + jobs);
    EXPECT_NE(run.exit_code, 0) << jobs;
    EXPECT_NE(run.err.find("--jobs"), std::string::npos) << run.err;
  }
  EXPECT_EQ(bitbucket_.requests(), before);
}

// A bigger workspace answered slowly, so that the backfill is still under way when it is killed.
class KilledSyncCliTest : public leadline::testing::BitbucketCliTest {
 protected:
  KilledSyncCliTest() : BitbucketCliTest(Config()) {}
  static leadline::testing::BitbucketDoubleConfig Config() {
    auto config = DefaultConfig();
    config.repositories = 1;
    config.pull_requests_per_repo = 400;
    return config;
  }
};

TEST_F(KilledSyncCliTest, ABackfillKilledMidwayResumesWithEveryRowOnce) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  ASSERT_EQ(Leadline("repos select acme/repo-1").exit_code, 0);

  bitbucket_.SetLatency(std::chrono::milliseconds(40));
  // `exec` all the way down, so that the spawned process is leadline itself.
  const std::string command = "exec env -u LEADLINE_SECRET_KEY " +
                              leadline::testing::LeadlineBinary() + " sync --db " +
                              ShellQuote(db()) + " >/dev/null 2>&1";
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ), 0);
  // Kill it once several activity pages are stored (the walk is 24 pages long).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (bitbucket_.requests_to("/pullrequests/activity") < 6 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status));
  const int before_resume = bitbucket_.requests_to("/pullrequests/activity");
  ASSERT_LT(before_resume, 24) << "the backfill finished before it was killed";

  bitbucket_.SetLatency(std::chrono::milliseconds(0));
  const LeadlineRun resumed = Leadline("sync");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  // The resumed walk continued where the killed one stopped: at most the page in flight again.
  EXPECT_LE(bitbucket_.requests_to("/pullrequests/activity") - before_resume,
            24 - (before_resume - 1) + 1);

  const std::size_t entries = bitbucket_.activity_entries();
  auto store = std::move(leadline::store::OpenStore(db())).value();
  const auto repos = *store->repositories().LoadConnectedRepositories();
  ASSERT_EQ(repos.size(), 1u);
  EXPECT_EQ(store->pull_requests().LoadPullRequestActivity(repos[0].id)->size(),
            entries);  // nothing missing
  const auto pull_requests = *store->pull_requests().LoadPullRequests(repos[0].id);
  ASSERT_EQ(pull_requests.size(), 400u);
  for (std::size_t i = 0; i < pull_requests.size(); ++i) {
    ASSERT_EQ(pull_requests[i].number, static_cast<std::int64_t>(i + 1));  // each once
  }
  EXPECT_EQ(store->pipelines().LoadPipelines(repos[0].id)->size(), 4u);
  EXPECT_EQ(store->pipelines().LoadPlatformDeployments(repos[0].id)->size(), 3u);
}

}  // namespace
