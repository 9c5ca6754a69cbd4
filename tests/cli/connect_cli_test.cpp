// End-to-end tests of `leadline connect`, `leadline check` and `leadline repos`: the real binary
// against the local Bitbucket double on a loopback port.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "bitbucket_cli_fixture.h"

namespace {

namespace fs = std::filesystem;
using leadline::testing::LeadlineRun;
using leadline::testing::ReadWholeFile;
using leadline::testing::ShellQuote;

using ConnectCliTest = leadline::testing::BitbucketCliTest;

TEST_F(ConnectCliTest, ConnectsChecksAndStoresTheSecretSealed) {
  const LeadlineRun run = Leadline(ConnectCloud());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Connected bitbucket-cloud/acme as Dev Eloper (devnick), 3 repositories "
                         "visible."),
            std::string::npos)
      << run.out;
  struct stat key {};
  ASSERT_EQ(stat(KeyFile().c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600u);
  // The token is nowhere in the store in plain text.
  if (OnPostgres()) {
    const std::string sealed = Query("SELECT sealed_secret FROM connections");
    EXPECT_FALSE(sealed.empty());
    EXPECT_EQ(sealed.find(config_.api_token), std::string::npos);
  } else {
    for (const char* suffix : {"", "-wal"}) {
      EXPECT_EQ(ReadWholeFile(db() + suffix).find(config_.api_token), std::string::npos) << suffix;
    }
  }
  const LeadlineRun check = Leadline("check");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out,
            "ok    bitbucket-cloud/acme: Dev Eloper (devnick), 3 repositories visible\n"
            "      feedback: cannot post on pull requests: the credentials lack the "
            "write:pullrequest:bitbucket scope\n");
}

TEST_F(ConnectCliTest, FailedCheckStoresNothingAndSaysWhatToFix) {
  const LeadlineRun run = Leadline(ConnectCloud("wrong-token"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(run.err.starts_with("leadline: error: HTTP 401")) << run.err;
  EXPECT_NE(run.err.find("must be the e-mail"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("not-the-token"), std::string::npos) << "the secret leaked: " << run.err;
  if (OnPostgres()) {
    EXPECT_EQ(Query("SELECT COUNT(*) FROM connections"), "0");
  } else {
    EXPECT_FALSE(fs::exists(db()));
  }
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
  EXPECT_EQ(select.out.substr(0, select.out.find('\n') + 1),
            "Selected 2 repositories: acme/repo-1 acme/repo-2\n");
  EXPECT_EQ(Leadline("repos select acme/repo-1").out,
            "Nothing changed: those repositories were already selected.\n");
  EXPECT_EQ(Leadline("repos deselect acme/repo-2").out, "Deselected 1 repository: acme/repo-2\n");

  const LeadlineRun offline = Leadline("repos list --offline");
  EXPECT_NE(offline.out.find("[x] acme/repo-1"), std::string::npos) << offline.out;
  EXPECT_NE(offline.out.find("[ ] acme/repo-2"), std::string::npos) << offline.out;
  // Listing again from Bitbucket keeps the selection.
  EXPECT_NE(Leadline("repos list").out.find("3 repositories, 1 selected"), std::string::npos);
}

TEST_F(ConnectCliTest, RepositoriesTheCredentialsNoLongerSeeAreNamed) {
  ConnectAndSelect(ConnectCloud(), "acme/repo-3");
  bitbucket_.HideRepositories(1);  // the account loses access to repo-3

  const LeadlineRun check = Leadline("check");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("warning: only 2 of the 3 repositories listed last time are visible "
                           "now: the account lacks access to the others"),
            std::string::npos)
      << check.out;

  const LeadlineRun list = Leadline("repos list");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("[x] acme/repo-3  bitbucket-cloud  main  (no longer visible)"),
            std::string::npos)
      << list.out;
  EXPECT_NE(list.out.find("1 of them is no longer visible to the connection's credentials"),
            std::string::npos)
      << list.out;

  const LeadlineRun sync = Leadline("sync");
  EXPECT_EQ(sync.exit_code, 1);
  EXPECT_NE(sync.err.find("The connection's credentials cannot see this repository"),
            std::string::npos)
      << sync.err;

  bitbucket_.HideRepositories(0);  // access restored
  EXPECT_EQ(Leadline("repos list").out.find("no longer visible"), std::string::npos);
  EXPECT_EQ(Leadline("check").out.find("warning"), std::string::npos);
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

// `check` says whether the credentials may post feedback on pull requests: Cloud from the scopes
// its answers list (x-oauth-scopes), Data Center from the repositories listed with REPO_WRITE.
class FeedbackCheckTest : public leadline::testing::BitbucketCliTest {
 protected:
  FeedbackCheckTest() : BitbucketCliTest(Config()) {}
  static leadline::testing::BitbucketDoubleConfig Config() {
    leadline::testing::BitbucketDoubleConfig config = DefaultConfig();
    config.granted_scopes.insert("write:pullrequest:bitbucket");
    config.dc_writable_repositories = 1;
    return config;
  }
};

TEST_F(FeedbackCheckTest, CheckSaysWhetherTheCredentialsMayPostOnPullRequests) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  ASSERT_EQ(Leadline(ConnectDataCenter()).exit_code, 0);
  const LeadlineRun check = Leadline("check");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("3 repositories visible\n      feedback: can post on pull requests "
                           "(write:pullrequest:bitbucket)\n"),
            std::string::npos)
      << check.out;
  EXPECT_NE(check.out.find("      feedback: can post on pull requests of 1 of 3 repositories "
                           "(the others need REPO_WRITE)\n"),
            std::string::npos)
      << check.out;
}

class ReadOnlyDataCenterTest : public leadline::testing::BitbucketCliTest {
 protected:
  ReadOnlyDataCenterTest() : BitbucketCliTest(Config()) {}
  static leadline::testing::BitbucketDoubleConfig Config() {
    leadline::testing::BitbucketDoubleConfig config = DefaultConfig();
    config.dc_writable_repositories = 0;
    return config;
  }
};

TEST_F(ReadOnlyDataCenterTest, CheckNamesTheMissingRepositoryWritePermission) {
  ASSERT_EQ(Leadline(ConnectDataCenter()).exit_code, 0);
  const LeadlineRun check = Leadline("check");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("      feedback: cannot post on pull requests: the token has write "
                           "permission (REPO_WRITE) on no repository\n"),
            std::string::npos)
      << check.out;
}

}  // namespace
