// `leadline migrate`, `leadline store copy` and the store options, end to end on SQLite files (the
// PostgreSQL side of each is tested in src/store and in the Postgres.* runs), and a PostgreSQL
// URL's password kept out of `ps`.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <string>

#include "bitbucket_cli_fixture.h"
#include "testing/server_process.h"

namespace {

using leadline::testing::BitbucketCliTest;
using leadline::testing::LeadlineRun;
using leadline::testing::ShellQuote;

class StoreCliTest : public BitbucketCliTest {
 protected:
  LeadlineRun Run(const std::string& args) const {
    const std::string err = dir_.Child("stderr.txt");
    const auto run = leadline::testing::RunCommand("env -u LEADLINE_STORE -u LEADLINE_DATA_DIR " +
                                                   leadline::testing::LeadlineBinary() + " " +
                                                   args + " 2>" + ShellQuote(err));
    return {run.exit_code, run.output, leadline::testing::ReadWholeFile(err)};
  }
};

TEST_F(StoreCliTest, MigrateAppliesOnceThenSaysTheStoreIsUpToDate) {
  const std::string db = dir_.Child("fresh.db");
  const LeadlineRun first = Run("migrate --db " + ShellQuote(db));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out.find("Applied migration 1: "), 0u) << first.out;
  EXPECT_NE(first.out.find("is at schema version"), std::string::npos) << first.out;
  const LeadlineRun again = Run("migrate --store sqlite:" + ShellQuote(db));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("is up to date"), std::string::npos) << again.out;
}

TEST_F(StoreCliTest, StoreCopyMovesAConnectedStoreAndVerifiesIt) {
  if (OnPostgres()) GTEST_SKIP() << "copies between SQLite files";
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  const std::string copy = dir_.Child("copy.db");
  const LeadlineRun copied =
      Run("store copy --from " + ShellQuote(db()) + " --to " + ShellQuote("sqlite:" + copy));
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_NE(copied.out.find("every table verified"), std::string::npos) << copied.out;
  EXPECT_NE(copied.out.find("repositories                    3          3          3"),
            std::string::npos)
      << copied.out;
  // Copying again finds every table equal and copies nothing.
  const LeadlineRun again =
      Run("store copy --from " + ShellQuote(db()) + " --to " + ShellQuote("sqlite:" + copy));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("repositories                    3          0          3"),
            std::string::npos)
      << again.out;
  // The copy is a working store: with the same key, its connection checks out (which writes
  // the check into the copy: it no longer equals the source).
  std::filesystem::copy_file(KeyFile(), copy + ".key");
  const LeadlineRun check = Run("check --db " + ShellQuote(copy));
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out.find("ok    bitbucket-cloud/acme"), 0u) << check.out;
}

TEST_F(StoreCliTest, BadStoreOptionsAreOneClearLine) {
  const LeadlineRun both = Run("repos list --store a.db --db b.db");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("give --store or --db, not both"), std::string::npos) << both.err;
  const LeadlineRun scheme = Run("repos list --store mysql://root:pw@localhost/leadline");
  EXPECT_EQ(scheme.exit_code, 1);
  EXPECT_NE(scheme.err.find("unknown store URL"), std::string::npos) << scheme.err;
  EXPECT_EQ(scheme.err.find("pw@"), std::string::npos) << "the password leaked: " << scheme.err;
  const std::string missing = dir_.Child("missing.db");
  const LeadlineRun nothing =
      Run("store copy --from " + ShellQuote(missing) + " --to " + ShellQuote(dir_.Child("to.db")));
  EXPECT_EQ(nothing.exit_code, 1);
  EXPECT_NE(nothing.err.find("there is no store"), std::string::npos) << nothing.err;
  EXPECT_FALSE(std::filesystem::exists(missing));
  const std::string db = dir_.Child("source.db");
  ASSERT_EQ(Run("migrate --db " + ShellQuote(db)).exit_code, 0);
  const LeadlineRun same =
      Run("store copy --from " + ShellQuote(db) + " --to " + ShellQuote("sqlite:" + db));
  EXPECT_EQ(same.exit_code, 1);
  EXPECT_NE(same.err.find("the same store"), std::string::npos) << same.err;
  const LeadlineRun unreachable = Run("store copy --from " + ShellQuote(db) +
                                      " --to 'postgres://leadline:s3cret@127.0.0.1:1/leadline'");
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_NE(unreachable.err.find("cannot connect"), std::string::npos) << unreachable.err;
  EXPECT_EQ(unreachable.err.find("s3cret"), std::string::npos) << unreachable.err;
}

TEST_F(StoreCliTest, APasswordInTheStoreUrlIsNotShownByPs) {
  if (!OnPostgres()) GTEST_SKIP() << "passwords are in PostgreSQL URLs";
  // The test server trusts local connections, so the password is given and never asked for.
  std::string url = db();
  const std::size_t user = url.find('@');
  ASSERT_NE(user, std::string::npos) << url;
  url.insert(user, ":s3cret");
  leadline::testing::ServerProcess server(url, dir_.Child("serve.log"));
  ASSERT_TRUE(server.running());
  // What ps shows: the arguments, NUL-separated.
  std::string shown =
      leadline::testing::ReadWholeFile("/proc/" + std::to_string(server.pid()) + "/cmdline");
  std::replace(shown.begin(), shown.end(), '\0', ' ');
  EXPECT_EQ(shown.find("s3cret"), std::string::npos) << shown;
  EXPECT_NE(shown.find(url.substr(0, user) + ":******@"), std::string::npos) << shown;
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

}  // namespace
