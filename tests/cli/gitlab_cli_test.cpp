// End-to-end tests of GitLab: the real `leadline` binary against the local GitLab double (real
// git over smart HTTP, the API's shapes, paging, token checks and failures): connect, check,
// repos, sync, a repeat sync, a sync through 429s, a backfill killed with SIGKILL and resumed,
// and the metrics of what was synced.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "bitbucket_cli_fixture.h"
#include "gitlab_double/gitlab_double.h"
#include "store/store.h"

namespace {

using leadline::testing::GitLabDouble;
using leadline::testing::GitLabDoubleConfig;
using leadline::testing::LeadlineRun;
using leadline::testing::ShellQuote;

constexpr int kMergeRequests = 30;
constexpr int kDeployments = 6;

GitLabDoubleConfig DoubleConfig(int merge_requests = kMergeRequests) {
  GitLabDoubleConfig config;
  config.merge_requests_per_project = merge_requests;
  config.pipelines_per_project = 4;
  config.deployments_per_project = kDeployments;
  config.history_start = leadline::common::NowUnixSeconds() - 20 * leadline::common::kDay;
  config.tokens.push_back(
      {"glpat-user-only", "profile", {"read_user"}, "2099-12-31", false, false, ""});
  config.tokens.push_back({"glpat-read-only",
                           "reader",
                           {"read_api", "read_repository"},
                           "2099-12-31",
                           false,
                           false,
                           ""});
  return config;
}

class GitLabCliTest : public leadline::testing::BitbucketCliTest {
 protected:
  explicit GitLabCliTest(GitLabDoubleConfig config = DoubleConfig()) : gitlab_(std::move(config)) {
    std::ofstream(dir_.Child("gitlab-token")) << "glpat-personal-token\n";
    std::ofstream(dir_.Child("user-only-token")) << "glpat-user-only\n";
  }

  std::string ConnectGitLab(const std::string& token_file = "gitlab-token",
                            const std::string& url = "") const {
    return "connect gitlab --url " + ShellQuote(url.empty() ? gitlab_.url() : url) +
           " --token-file " + ShellQuote(dir_.Child(token_file));
  }

  // The rows of `table` of repository `location`.
  std::string CountOf(const std::string& table, const std::string& location) const {
    return Query("SELECT COUNT(*) FROM " + table +
                 " t JOIN repositories r ON r.id = t.repo_id WHERE r.location = '" + location +
                 "'");
  }

  GitLabDouble gitlab_;
};

TEST_F(GitLabCliTest, CheckSaysWhetherTheTokenMayPostOnMergeRequests) {
  ASSERT_EQ(Leadline(ConnectGitLab()).exit_code, 0);
  LeadlineRun check = Leadline("check");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("\n      feedback: can post on merge requests (api scope)\n"),
            std::string::npos)
      << check.out;
  // The same instance connected again with a token that may only read.
  std::ofstream(dir_.Child("read-only-token")) << "glpat-read-only\n";
  ASSERT_EQ(Leadline(ConnectGitLab("read-only-token")).exit_code, 0);
  check = Leadline("check");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(
      check.out.find("\n      feedback: cannot post on merge requests: the token lacks the api "
                     "scope\n"),
      std::string::npos)
      << check.out;
}

TEST_F(GitLabCliTest, ConnectsChecksListsSyncsAndReportsAProject) {
  const LeadlineRun connected = Leadline(ConnectGitLab());
  ASSERT_EQ(connected.exit_code, 0) << connected.err;
  EXPECT_NE(connected.out.find("as devnick, 3 repositories visible, GitLab 17.5.1-ee, token "
                               "scopes: api read_api read_repository read_user, the token "
                               "expires 2099-12-31."),
            std::string::npos)
      << connected.out;
  const LeadlineRun check = Leadline("check");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_TRUE(check.out.starts_with("ok    gitlab/127.0.0.1:")) << check.out;

  const LeadlineRun listed = Leadline("repos list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  for (const char* project : {"acme/web", "acme/platform/api", "acme/platform/worker"}) {
    EXPECT_NE(listed.out.find(project), std::string::npos) << listed.out;
  }
  ASSERT_EQ(Leadline("repos select 'acme/platform/*'").exit_code, 0);
  const LeadlineRun synced = Leadline("sync");
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_NE(synced.out.find("acme/platform/api: "), std::string::npos) << synced.out;
  EXPECT_NE(synced.out.find(std::to_string(kMergeRequests) + " pull requests"), std::string::npos)
      << synced.out;
  EXPECT_NE(synced.out.find("Synced 2 of 2 repositories"), std::string::npos) << synced.out;
  // The notes' review activity is counted with the merge requests it came with.
  EXPECT_EQ(synced.out.find(" 0 activity entries"), std::string::npos) << synced.out;
  EXPECT_EQ(CountOf("pull_requests", "acme/web"), "0");  // not selected

  const std::string api = "acme/platform/api";
  EXPECT_EQ(CountOf("pull_requests", api), std::to_string(kMergeRequests));
  EXPECT_EQ(CountOf("pipelines", api), "4");
  EXPECT_EQ(CountOf("environments", api), "2");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM platform_deployments WHERE provider = 'gitlab'"),
            std::to_string(2 * kDeployments));
  // Approvals come from the notes; label changes (system notes) are not review activity.
  EXPECT_NE(Query("SELECT COUNT(*) FROM pull_request_activity WHERE kind = 'approval'"), "0");
  // Every merged merge request names a commit the mirror has (merge, squash or fast-forward).
  EXPECT_EQ(Query("SELECT COUNT(*) FROM pull_requests p WHERE p.state = 'MERGED' AND NOT EXISTS "
                  "(SELECT 1 FROM commits c WHERE c.repo_id = p.repo_id AND c.sha = "
                  "p.merge_commit)"),
            "0");
  EXPECT_NE(Query("SELECT COUNT(*) FROM pull_requests WHERE state = 'MERGED'"), "0");
  // Fast-forwards (merge commit = source) know the target they were made on, from their own GET.
  EXPECT_NE(Query("SELECT COUNT(*) FROM pull_requests WHERE state = 'MERGED' AND merge_commit = "
                  "source_commit"),
            "0");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM pull_requests WHERE state = 'MERGED' AND merge_commit = "
                  "source_commit AND target_commit = ''"),
            "0");

  // Deployments to the production tier count; the staging tier's do not (odd ones go there).
  const LeadlineRun report = Leadline("report --repo " + api + " --window all --format json");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const auto json = nlohmann::json::parse(report.out);
  EXPECT_EQ(json["summary"]["proxy"], false) << report.out;
  EXPECT_EQ(json["summary"]["deployments"], kDeployments / 2) << report.out;
}

TEST_F(GitLabCliTest, ATrailingSlashIsDroppedFromTheUrl) {
  const LeadlineRun connected = Leadline(ConnectGitLab("gitlab-token", gitlab_.url() + "/"));
  ASSERT_EQ(connected.exit_code, 0) << connected.err;
  EXPECT_EQ(Query("SELECT url FROM connections"), gitlab_.url());
  // Every API path is appended to it: the listing works.
  const LeadlineRun listed = Leadline("repos list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("acme/platform/api"), std::string::npos) << listed.out;
}

TEST_F(GitLabCliTest, ARepeatSyncOfAnUnchangedProjectIsTwoRequests) {
  ConnectAndSelect(ConnectGitLab(), "acme/platform/api");
  ASSERT_EQ(Leadline("sync").exit_code, 0);
  const int before = gitlab_.requests_to("/api/v4/");
  const LeadlineRun again = Leadline("sync");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  // Merge requests and pipelines: the rows at each cursor's time come back (GitLab's
  // updated_after is inclusive) and are recognised, so no notes are read again; with no pipeline
  // changed, deployments are not asked for.
  EXPECT_EQ(gitlab_.requests_to("/api/v4/") - before, 2) << again.out;
  EXPECT_EQ(gitlab_.requests_to("/deployments"), 1);
  EXPECT_NE(again.out.find("(0 new or changed)"), std::string::npos) << again.out;

  gitlab_.Advance(2);
  const LeadlineRun advanced = Leadline("sync");
  ASSERT_EQ(advanced.exit_code, 0) << advanced.err;
  EXPECT_EQ(CountOf("pull_requests", "acme/platform/api"), std::to_string(kMergeRequests + 2));
  // New pipelines: their deployments are read.
  EXPECT_EQ(gitlab_.requests_to("/deployments"), 2);
  EXPECT_EQ(CountOf("platform_deployments", "acme/platform/api"), std::to_string(kDeployments + 2));
}

TEST_F(GitLabCliTest, RateLimitedAnswersAreWaitedOut) {
  ConnectAndSelect(ConnectGitLab(), "acme/platform/api");
  gitlab_.FailNext(2, 429, /*pass_first=*/3);
  const LeadlineRun synced = Leadline("sync");
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_NE(synced.out.find("(2 retried)"), std::string::npos) << synced.out;
  EXPECT_EQ(CountOf("pull_requests", "acme/platform/api"), std::to_string(kMergeRequests));
}

TEST_F(GitLabCliTest, BadTokensAndUrlsSayWhatToFixAndStoreNothing) {
  std::ofstream(dir_.Child("wrong")) << "glpat-nobody\n";
  const LeadlineRun wrong = Leadline(ConnectGitLab("wrong"));
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("HTTP 401"), std::string::npos) << wrong.err;
  EXPECT_NE(wrong.err.find("the token is wrong, expired or revoked"), std::string::npos)
      << wrong.err;
  EXPECT_EQ(wrong.err.find("glpat-nobody"), std::string::npos) << "the secret leaked";

  const LeadlineRun scopes = Leadline(ConnectGitLab("user-only-token"));
  EXPECT_EQ(scopes.exit_code, 1);
  EXPECT_NE(scopes.err.find("lacks the read_api scope"), std::string::npos) << scopes.err;

  const LeadlineRun path = Leadline(ConnectGitLab("gitlab-token", gitlab_.url() + "/acme/web"));
  EXPECT_EQ(path.exit_code, 1);
  EXPECT_NE(path.err.find("is not a GitLab instance's root URL"), std::string::npos) << path.err;
  EXPECT_NE(path.err.find("use --url " + gitlab_.url()), std::string::npos) << path.err;

  if (OnPostgres()) {
    EXPECT_EQ(Query("SELECT COUNT(*) FROM connections"), "0");
  } else {
    EXPECT_FALSE(std::filesystem::exists(db()));
  }
}

class KilledGitLabSyncTest : public GitLabCliTest {
 protected:
  KilledGitLabSyncTest() : GitLabCliTest(DoubleConfig(250)) {}
};

TEST_F(KilledGitLabSyncTest, ABackfillKilledMidwayResumesWithEveryRowOnce) {
  ConnectAndSelect(ConnectGitLab(), "acme/platform/api");
  gitlab_.SetLatency(std::chrono::milliseconds(10));
  // Kill it in the middle of the merge requests' notes (250 merge requests, a request each).
  EXPECT_TRUE(KillLeadlineWhen("sync", [&] { return gitlab_.requests_to("/notes") >= 120; }));
  const std::string stored = CountOf("pull_requests", "acme/platform/api");
  ASSERT_LT(std::stoi(stored), 250) << "the backfill finished before it was killed";
  const int notes_before = gitlab_.requests_to("/notes");

  gitlab_.SetLatency(std::chrono::milliseconds(0));
  const LeadlineRun resumed = Leadline("sync");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  // The resumed walk starts at the page in flight: at most its 100 merge requests' notes again.
  EXPECT_LE(gitlab_.requests_to("/notes") - notes_before, 250 - std::stoi(stored) + 100);

  EXPECT_EQ(CountOf("pull_requests", "acme/platform/api"), "250");
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT number) FROM pull_requests"), "250");
  // Every approval once: as many as merge requests the double approved.
  auto store = std::move(leadline::store::OpenStore(db())).value();
  const auto repos = *store->repositories().LoadConnectedRepositories();
  std::int64_t repo_id = 0;
  for (const auto& repo : repos) {
    if (repo.location == "acme/platform/api") repo_id = repo.id;
  }
  const auto activity = *store->pull_requests().LoadPullRequestActivity(repo_id);
  std::set<std::string> ids;
  for (const auto& entry : activity) {
    EXPECT_TRUE(ids.insert(entry.upstream_id).second) << "twice: note " << entry.upstream_id;
  }
  EXPECT_EQ(store->pipelines().LoadPlatformDeployments(repo_id)->size(),
            static_cast<std::size_t>(kDeployments));
}

}  // namespace
