// End-to-end tests of `leadline connect` and `leadline check`: the real binary against the local
// Bitbucket double on a loopback port.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bitbucket_double/bitbucket_double.h"
#include "common/time.h"
#include "testing/git_script.h"

namespace {

namespace fs = std::filesystem;
using leadline::testing::BitbucketDouble;
using leadline::testing::BitbucketDoubleConfig;
using leadline::testing::LeadlineBinary;
using leadline::testing::RunCommand;
using leadline::testing::ShellQuote;
using leadline::testing::TempDir;

struct LeadlineRun {
  int exit_code = 0;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class ConnectCliTest : public ::testing::Test {
 protected:
  ConnectCliTest() {
    std::ofstream(dir_.Child("api-token")) << config_.api_token << "\n";
    std::ofstream(dir_.Child("dc-token")) << config_.dc_token << "\n";
    std::ofstream(dir_.Child("wrong-token")) << "not-the-token\n";
  }

  // Runs `leadline ARGS --db DB` (ARGS already quoted), with `env` prefixed.
  LeadlineRun Leadline(const std::string& args, const std::string& env = "") const {
    const std::string err = dir_.Child("stderr.txt");
    const auto run =
        RunCommand("env -u LEADLINE_SECRET_KEY " + env + " timeout 120 " + LeadlineBinary() + " " +
                   args + " --db " + ShellQuote(db()) + " 2>" + ShellQuote(err));
    return {run.exit_code, run.output, ReadFile(err)};
  }
  std::string ConnectCloud(const std::string& token_file = "api-token") const {
    return "connect bitbucket-cloud --workspace acme --api-url " +
           ShellQuote(bitbucket_.cloud_api_url()) + " --email dev@example.com --token-file " +
           ShellQuote(dir_.Child(token_file));
  }
  std::string db() const { return dir_.Child("leadline.db"); }

  static BitbucketDoubleConfig Config() {
    BitbucketDoubleConfig config;
    config.pull_requests_per_repo = 60;
    config.pipelines_per_repo = 4;
    config.deployments_per_repo = 3;
    // Recent enough for sync's default 90-day window.
    config.history_start = leadline::common::NowUnixSeconds() - 30 * leadline::common::kDay;
    return config;
  }

  TempDir dir_;
  BitbucketDoubleConfig config_ = Config();
  BitbucketDouble bitbucket_{config_};
};

TEST_F(ConnectCliTest, ConnectsChecksAndStoresTheSecretSealed) {
  const LeadlineRun run = Leadline(ConnectCloud());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Connected bitbucket-cloud/acme as Dev Eloper (devnick), 3 repositories "
                         "visible."),
            std::string::npos)
      << run.out;
  struct stat key {};
  ASSERT_EQ(stat((db() + ".key").c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600u);
  // The token is nowhere in the store's files in plain text.
  for (const char* suffix : {"", "-wal"}) {
    EXPECT_EQ(ReadFile(db() + suffix).find(config_.api_token), std::string::npos) << suffix;
  }
  const LeadlineRun check = Leadline("check");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out,
            "ok    bitbucket-cloud/acme: Dev Eloper (devnick), 3 repositories visible\n");
}

TEST_F(ConnectCliTest, FailedCheckStoresNothingAndSaysWhatToFix) {
  const LeadlineRun run = Leadline(ConnectCloud("wrong-token"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(run.err.starts_with("leadline: error: HTTP 401")) << run.err;
  EXPECT_NE(run.err.find("must be the e-mail"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("not-the-token"), std::string::npos) << "the secret leaked: " << run.err;
  EXPECT_FALSE(fs::exists(db()));
}

TEST_F(ConnectCliTest, AppPasswordsWarnThenFail) {
  std::ofstream(dir_.Child("app-password")) << "legacy\n";
  const LeadlineRun run =
      Leadline("connect bitbucket-cloud --workspace acme --api-url " +
               ShellQuote(bitbucket_.cloud_api_url()) + " --username devnick --app-password-file " +
               ShellQuote(dir_.Child("app-password")));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(run.err.starts_with("leadline: warning: Atlassian switched")) << run.err;
  EXPECT_NE(run.err.find("switched app passwords off on 2026-06-09"), std::string::npos);
}

TEST_F(ConnectCliTest, DataCenterUrlMistakesGetTheRightUrl) {
  const LeadlineRun run =
      Leadline("connect bitbucket-dc --url " + ShellQuote(bitbucket_.dc_url() + "/") +
               " --token-file " + ShellQuote(dir_.Child("dc-token")));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("use --url " + bitbucket_.dc_url()), std::string::npos) << run.err;

  const LeadlineRun good =
      Leadline("connect bitbucket-dc --url " + ShellQuote(bitbucket_.dc_url()) + " --token-file " +
               ShellQuote(dir_.Child("dc-token")));
  ASSERT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.out.find("as dc-user, 3 repositories visible, Bitbucket Data Center 9.2.3"),
            std::string::npos)
      << good.out;
}

TEST_F(ConnectCliTest, BadFlagsAreExplained) {
  const LeadlineRun no_email = Leadline("connect bitbucket-cloud --workspace acme --token-file " +
                                        ShellQuote(dir_.Child("api-token")));
  EXPECT_EQ(no_email.exit_code, 1);
  EXPECT_NE(no_email.err.find("--token-file needs --email"), std::string::npos) << no_email.err;
  const LeadlineRun two_ways =
      Leadline(ConnectCloud() + " --access-token-file " + ShellQuote(dir_.Child("api-token")));
  EXPECT_NE(two_ways.err.find("give one way to sign in"), std::string::npos) << two_ways.err;
  const LeadlineRun missing = Leadline(ConnectCloud("no-such-file"));
  EXPECT_NE(missing.err.find("cannot read the secret file"), std::string::npos) << missing.err;
  const LeadlineRun nothing = Leadline("check");
  EXPECT_EQ(nothing.exit_code, 1);
  EXPECT_NE(nothing.err.find("no connection"), std::string::npos) << nothing.err;
}

TEST_F(ConnectCliTest, CheckReportsBrokenConnectionsAndAChangedKey) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  const LeadlineRun other_key = Leadline(
      "check",
      "LEADLINE_SECRET_KEY=0707070707070707070707070707070707070707070707070707070707070707");
  EXPECT_EQ(other_key.exit_code, 1);
  EXPECT_NE(other_key.out.find("FAIL  bitbucket-cloud/acme: a stored secret cannot be decrypted"),
            std::string::npos)
      << other_key.out;
}

TEST_F(ConnectCliTest, ReposAreListedSelectedAndDeselected) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  const LeadlineRun list = Leadline("repos list");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("[ ] acme/repo-1  bitbucket-cloud  main"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("3 repositories, 0 selected for sync."), std::string::npos) << list.out;

  const LeadlineRun select = Leadline("repos select 'acme/repo-[12]'");
  ASSERT_EQ(select.exit_code, 0) << select.err;
  EXPECT_EQ(select.out, "Selected 2 repositories: acme/repo-1 acme/repo-2\n");
  EXPECT_EQ(Leadline("repos select acme/repo-1").out,
            "Nothing changed: those repositories were already selected.\n");
  EXPECT_EQ(Leadline("repos deselect acme/repo-2").out, "Deselected 1 repository: acme/repo-2\n");

  const LeadlineRun offline = Leadline("repos list --offline");
  EXPECT_NE(offline.out.find("[x] acme/repo-1"), std::string::npos) << offline.out;
  EXPECT_NE(offline.out.find("[ ] acme/repo-2"), std::string::npos) << offline.out;
  // Listing again from Bitbucket keeps the selection.
  EXPECT_NE(Leadline("repos list").out.find("3 repositories, 1 selected"), std::string::npos);
}

TEST_F(ConnectCliTest, SelectingAnUnknownPatternChangesNothing) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  EXPECT_EQ(Leadline("repos select acme/repo-1").exit_code, 1);  // nothing listed yet
  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  const LeadlineRun run = Leadline("repos select acme/repo-1 'other/*'");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("'other/*' matches no repository; known: acme/repo-1, acme/repo-2"),
            std::string::npos)
      << run.err;
  EXPECT_NE(Leadline("repos list --offline").out.find("0 selected"), std::string::npos);
}

TEST_F(ConnectCliTest, DataCenterRepositoriesAreListedByProject) {
  ASSERT_EQ(Leadline("connect bitbucket-dc --url " + ShellQuote(bitbucket_.dc_url()) +
                     " --token-file " + ShellQuote(dir_.Child("dc-token")))
                .exit_code,
            0);
  const LeadlineRun list = Leadline("repos list");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("[ ] PROJ/repo-3  bitbucket-dc"), std::string::npos) << list.out;
}

TEST_F(ConnectCliTest, SyncBackfillsSelectedRepositoriesThenOnlyWhatChanged) {
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
  // 28 merges and declines; 4 pipelines and 3 deployments.
  EXPECT_NE(first.out.find("acme/repo-1: 60 pull requests, 178 activity entries, 4 pipelines, 3 "
                           "deployments (245 new or changed)"),
            std::string::npos)
      << first.out;
  // Per repository: 4 activity pages of 50, 2 pull request pages of 50, 1 pipeline page, 1
  // deployment page, 1 environment page.
  EXPECT_NE(first.out.find("Synced 2 of 2 repositories: 18 requests (0 retried), 490 rows new or "
                           "changed."),
            std::string::npos)
      << first.out;

  const LeadlineRun again = Leadline("sync --repo acme/repo-1");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("acme/repo-1: 0 pull requests (unchanged)"), std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find("Synced 1 of 1 repositories: 2 requests (0 retried), 0 rows"),
            std::string::npos)
      << again.out;
}

TEST_F(ConnectCliTest, SyncRetriesServerErrors) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  ASSERT_EQ(Leadline("repos select acme/repo-3").exit_code, 0);
  bitbucket_.FailNext(1, 503);
  const LeadlineRun run = Leadline("sync");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("leadline: waiting: HTTP 503"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("10 requests (1 retried), 245 rows new or changed"), std::string::npos)
      << run.out;
}

TEST_F(ConnectCliTest, SyncSaysDataCenterIsNotAvailableYet) {
  ASSERT_EQ(Leadline("connect bitbucket-dc --url " + ShellQuote(bitbucket_.dc_url()) +
                     " --token-file " + ShellQuote(dir_.Child("dc-token")))
                .exit_code,
            0);
  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  ASSERT_EQ(Leadline("repos select PROJ/repo-1").exit_code, 0);
  const LeadlineRun run = Leadline("sync");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("PROJ/repo-1: syncing Bitbucket Data Center repositories is not "
                         "available yet"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.out.find("Synced 0 of 1 repositories"), std::string::npos) << run.out;
}

}  // namespace
