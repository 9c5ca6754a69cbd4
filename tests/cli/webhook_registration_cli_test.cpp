// End-to-end tests of webhook registration: `repos select` registers Leadline's hook on each
// repository through the Bitbucket API of the local double (Cloud /hooks, Data Center
// /webhooks), `webhooks register` does it again without duplicates, `repos deselect` removes it.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "bitbucket_cli_fixture.h"

namespace {

using leadline::testing::BitbucketDoubleConfig;
using leadline::testing::LeadlineRun;

constexpr char kPublicUrl[] = "https://leadline.example.com";

class WebhookRegistrationTest : public leadline::testing::BitbucketCliTest {
 protected:
  explicit WebhookRegistrationTest(BitbucketDoubleConfig config = DefaultConfig())
      : BitbucketCliTest(std::move(config)) {}
  void WritePublicUrl() {
    std::ofstream(dir_.Child("leadline.toml"))
        << "[webhooks]\npublic_url = \"" << kPublicUrl << "/\"\n";
  }
  std::string Secret() {
    const LeadlineRun run = Leadline("webhooks secret");
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return run.out.substr(run.out.rfind(' ') + 1, run.out.find('\n') - run.out.rfind(' ') - 1);
  }
};

TEST_F(WebhookRegistrationTest, SelectingRegistersTheHookOnceAndDeselectingRemovesIt) {
  WritePublicUrl();
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  const LeadlineRun selected = Leadline("repos select acme/repo-1");
  ASSERT_EQ(selected.exit_code, 0) << selected.err;
  EXPECT_NE(
      selected.out.find("on acme/repo-1 -> https://leadline.example.com/v1/bitbucket/webhook"),
      std::string::npos)
      << selected.out;

  auto hooks = bitbucket_.hooks("acme/repo-1");
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].url, "https://leadline.example.com/v1/bitbucket/webhook");
  EXPECT_EQ(hooks[0].secret, Secret());  // deliveries are signed with the connection's secret
  for (const char* event : {"repo:push", "pullrequest:fulfilled", "pullrequest:approved",
                            "pullrequest:changes_request_created", "repo:commit_status_updated"}) {
    EXPECT_NE(std::find(hooks[0].events.begin(), hooks[0].events.end(), event),
              hooks[0].events.end())
        << event;
  }
  EXPECT_TRUE(bitbucket_.hooks("acme/repo-2").empty());

  // Again: the same hook is updated, not duplicated.
  const LeadlineRun again = Leadline("webhooks register");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  ASSERT_EQ(bitbucket_.hooks("acme/repo-1").size(), 1u);
  EXPECT_EQ(bitbucket_.hooks("acme/repo-1")[0].id, hooks[0].id);
  const LeadlineRun status = Leadline("webhooks status");
  EXPECT_NE(status.out.find("acme/repo-1: hook " + hooks[0].id), std::string::npos) << status.out;

  const LeadlineRun deselected = Leadline("repos deselect acme/repo-1");
  ASSERT_EQ(deselected.exit_code, 0) << deselected.err;
  EXPECT_NE(deselected.out.find("Webhook removed from acme/repo-1"), std::string::npos);
  EXPECT_TRUE(bitbucket_.hooks("acme/repo-1").empty());
}

TEST_F(WebhookRegistrationTest, DataCenterRepositoriesGetTheirWebhookToo) {
  WritePublicUrl();
  ASSERT_EQ(Leadline(ConnectDataCenter()).exit_code, 0);
  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  // `activate` and `deactivate` are `repos select` and `repos deselect` by other names.
  const LeadlineRun selected = Leadline("activate PROJ/repo-2");
  ASSERT_EQ(selected.exit_code, 0) << selected.err;
  EXPECT_NE(selected.out.find("Selected 1 repository"), std::string::npos) << selected.out;
  const auto hooks = bitbucket_.hooks("PROJ/repo-2");
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].id, "1");
  EXPECT_EQ(hooks[0].secret, Secret());
  EXPECT_NE(std::find(hooks[0].events.begin(), hooks[0].events.end(), "pr:merged"),
            hooks[0].events.end());
  ASSERT_EQ(Leadline("deactivate PROJ/repo-2").exit_code, 0);
  EXPECT_TRUE(bitbucket_.hooks("PROJ/repo-2").empty());
}

TEST_F(WebhookRegistrationTest, WithoutAPublicUrlNothingIsRegisteredAndItSaysWhy) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  const LeadlineRun selected = Leadline("repos select acme/repo-1");
  ASSERT_EQ(selected.exit_code, 0) << selected.err;
  EXPECT_NE(selected.out.find("No webhook registered"), std::string::npos) << selected.out;
  EXPECT_TRUE(bitbucket_.hooks("acme/repo-1").empty());
  const LeadlineRun registered = Leadline("webhooks register");
  EXPECT_EQ(registered.exit_code, 1);
  EXPECT_NE(registered.err.find("[webhooks] public_url"), std::string::npos) << registered.err;
}

class WebhookScopeTest : public WebhookRegistrationTest {
 protected:
  WebhookScopeTest() : WebhookRegistrationTest(WithoutWebhookScopes()) {}
  static BitbucketDoubleConfig WithoutWebhookScopes() {
    BitbucketDoubleConfig config = DefaultConfig();
    config.granted_scopes.erase("write:webhook:bitbucket");
    return config;
  }
};

TEST_F(WebhookScopeTest, ATokenWithoutWebhookScopesSaysWhichItNeedsAndKeepsTheSelection) {
  WritePublicUrl();
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  const LeadlineRun selected = Leadline("repos select acme/repo-1");
  EXPECT_EQ(selected.exit_code, 1);
  EXPECT_NE(selected.err.find("write:webhook:bitbucket"), std::string::npos) << selected.err;
  EXPECT_TRUE(bitbucket_.hooks("acme/repo-1").empty());
  EXPECT_NE(Leadline("repos list --offline").out.find("[x] acme/repo-1"), std::string::npos);
}

}  // namespace
