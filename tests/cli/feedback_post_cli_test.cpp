// End-to-end tests of feedback posted by `leadline serve` on the Bitbucket double's pull requests:
// with feedback on, a pull request event (a webhook, or a sync that finds the change) leads to one
// comment, edited in place by the next event and never repeated; a Code Insights report in
// insights mode; a failing host is retried until the post lands; Data Center's comment versions
// are refetched on a 409; repositories with feedback off get nothing.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "common/time.h"
#include "testing/server_process.h"
#include "webhook_cli_fixture.h"

namespace {

using leadline::testing::BitbucketDoubleConfig;
using leadline::testing::LeadlineRun;
using leadline::testing::PullRequestUpdated;
using leadline::testing::ServerProcess;

// What a sync queues is due a second after it (the default is 30 s).
constexpr const char* kQuickSync = "LEADLINE_FEEDBACK_DEBOUNCE=1";
constexpr const char* kServeFlags =
    "--feedback-debounce 1s --feedback-retry 1s --reconcile-every off";

// Waits up to 60 s for `done`.
bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 600; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

// The double's history ending a few hours ago: the pull request added (#61) is recent, an event
// (older ones are history: leadline posts on none of them).
BitbucketDoubleConfig RecentConfig() {
  BitbucketDoubleConfig config;
  config.pull_requests_per_repo = 60;
  config.pipelines_per_repo = 4;
  config.deployments_per_repo = 3;
  config.history_start = leadline::common::NowUnixSeconds() - 66 * leadline::common::kHour;
  return config;
}

class FeedbackPostTest : public leadline::testing::WebhookCliTest {
 protected:
  FeedbackPostTest() : WebhookCliTest(WritableConfig()) {}
  static BitbucketDoubleConfig WritableConfig() {
    BitbucketDoubleConfig config = RecentConfig();
    config.granted_scopes.insert("write:pullrequest:bitbucket");
    return config;
  }

  void SetUp() override {
    WebhookCliTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(Leadline("repos select acme/repo-2").exit_code, 0);
    ASSERT_EQ(Leadline("sync").exit_code, 0);
  }
  // A new pull request (#61 in every repository), told by webhook for acme/repo-1 and -2.
  void OpenPullRequest(httplib::Client& client) {
    bitbucket_.AddPullRequests(1);
    Event(client, "acme/repo-1", "{open-1}");
    Event(client, "acme/repo-2", "{open-2}");
  }
  void Event(httplib::Client& client, const std::string& repo, const std::string& id) {
    const std::string body = PullRequestUpdated(repo, 61);
    auto accepted = Deliver(client, body, id, Sign(body));
    ASSERT_TRUE(accepted);
    ASSERT_EQ(accepted->status, 200) << accepted->body;
  }
  std::string ServerLog() const {
    std::ifstream in(Log());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

TEST_F(FeedbackPostTest, OneCommentEditedInPlaceRetriedThroughFailuresAndNoneWhereOff) {
  ASSERT_EQ(Leadline("feedback enable --repos acme/repo-1 --mode comment").exit_code, 0);
  ServerProcess server(db(), Log(), kServeFlags);
  httplib::Client client("127.0.0.1", server.port());

  OpenPullRequest(client);
  ASSERT_TRUE(WaitFor([&] { return bitbucket_.comments("acme/repo-1", 61).size() == 1; }));
  EXPECT_TRUE(bitbucket_.comments("acme/repo-1", 61)[0].starts_with("<!-- leadline -->\n"))
      << bitbucket_.comments("acme/repo-1", 61)[0];

  // A reviewer comments: the pull request changed, its one comment is edited.
  bitbucket_.PublishComments(61, 1, leadline::common::NowUnixSeconds());
  Event(client, "acme/repo-1", "{review-1}");
  ASSERT_TRUE(WaitFor([&] { return bitbucket_.comment_edits("acme/repo-1", 61) == 1; }));

  // The host fails the next write: the post is tried again and lands, still as an edit.
  bitbucket_.FailFeedbackWrites(1, 501);
  bitbucket_.PublishComments(61, 2, leadline::common::NowUnixSeconds() + 1);
  Event(client, "acme/repo-1", "{review-2}");
  ASSERT_TRUE(WaitFor([&] { return bitbucket_.comment_edits("acme/repo-1", 61) == 2; }));
  EXPECT_NE(ServerLog().find("feedback for acme/repo-1 #61: HTTP 501"), std::string::npos)
      << ServerLog();
  EXPECT_EQ(bitbucket_.comments("acme/repo-1", 61).size(), 1u);  // never a second one
  EXPECT_EQ(bitbucket_.feedback_writes(), 3);

  // acme/repo-2's event was applied, and it has feedback off: nothing queued, nothing posted.
  EXPECT_TRUE(bitbucket_.comments("acme/repo-2", 61).empty());
  EXPECT_EQ(Query("SELECT COUNT(*) FROM feedback_outbox"), "0");
  // Every post audited (the 501 too), and counted by outcome.
  EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_log WHERE token_name = 'feedback'"), "4");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_log WHERE token_name = 'feedback' AND status = 501"),
            "1");
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  for (const char* line : {"leadline_feedback_posts_total{outcome=\"failed\"} 1\n",
                           "leadline_feedback_posts_total{outcome=\"posted\"} 3\n"}) {
    EXPECT_NE(metrics->body.find(line), std::string::npos) << metrics->body;
  }
  const LeadlineRun status = Leadline("feedback status");
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("acme/repo-1"), std::string::npos) << status.out;
  EXPECT_EQ(status.out.find("acme/repo-2"), std::string::npos) << status.out;
  EXPECT_EQ(Query("SELECT posts FROM feedback_repositories"), "3");
}

TEST_F(FeedbackPostTest, InsightsModePutsAReportOnTheHeadCommitAndNoComment) {
  ASSERT_EQ(Leadline("feedback enable --repos acme/repo-1").exit_code, 0);
  ServerProcess server(db(), Log(), kServeFlags);
  httplib::Client client("127.0.0.1", server.port());
  OpenPullRequest(client);
  ASSERT_TRUE(WaitFor([&] { return Query("SELECT posts FROM feedback_repositories") == "1"; }));
  const std::string head = Query(
      "SELECT p.source_commit FROM pull_requests p JOIN repositories r ON r.id = p.repo_id "
      "WHERE r.location = 'acme/repo-1' AND p.number = 61");
  ASSERT_FALSE(head.empty());
  const std::string report = bitbucket_.report("acme/repo-1", head, "leadline-delivery");
  ASSERT_FALSE(report.empty());
  const auto json = nlohmann::json::parse(report);
  EXPECT_EQ(json["title"], "Leadline: delivery");
  EXPECT_EQ(json["report_type"], "TEST");
  EXPECT_GE(json["data"].size(), 1u);
  EXPECT_LE(json["data"].size(), 6u);
  EXPECT_TRUE(bitbucket_.comments("acme/repo-1", 61).empty());
  // Cloud named the head by 12 digits: its full hash was read first (the report's route takes
  // only full hashes), then the report put.
  EXPECT_EQ(head.size(), 12u);
  EXPECT_EQ(bitbucket_.requests_to("/commit/" + head), 2);
}

TEST_F(FeedbackPostTest, A403TurnsTheRepositorysFeedbackOffAndSaysWhyEverywhere) {
  ASSERT_EQ(Leadline("feedback enable --repos acme/repo-1 --mode comment").exit_code, 0);
  const LeadlineRun token = Leadline("tokens create --name reader --scopes read");
  ASSERT_EQ(token.exit_code, 0) << token.err;
  const httplib::Headers bearer = {
      {"Authorization", "Bearer " + token.out.substr(0, token.out.find('\n'))}};
  ServerProcess server(db(), Log(), kServeFlags);
  httplib::Client client("127.0.0.1", server.port());
  bitbucket_.FailFeedbackWrites(1, 403);
  OpenPullRequest(client);
  ASSERT_TRUE(WaitFor([&] {
    return Query("SELECT COUNT(*) FROM feedback_repositories WHERE refused_at IS NOT NULL") == "1";
  }));
  EXPECT_EQ(Query("SELECT COUNT(*) FROM feedback_outbox WHERE failed"), "1");
  EXPECT_TRUE(bitbucket_.comments("acme/repo-1", 61).empty());
  EXPECT_NE(ServerLog().find("feedback is now off for acme/repo-1"), std::string::npos)
      << ServerLog();

  // `feedback status` names the refusal and how to turn feedback on again.
  const LeadlineRun status = Leadline("feedback status");
  EXPECT_NE(status.out.find("acme/repo-1 #61 opened, failed"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("acme/repo-1: turned off "), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("write:pullrequest:bitbucket"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("leadline feedback enable --repos acme/repo-1 --mode comment"),
            std::string::npos)
      << status.out;
  // So does `doctor`, as a warning of the repository.
  const LeadlineRun doctor = Leadline("doctor --repo acme/repo-1");
  EXPECT_NE(doctor.out.find("warning [feedback_refused] feedback on pull requests was turned off"),
            std::string::npos)
      << doctor.out;
  EXPECT_NE(doctor.out.find("HTTP 403"), std::string::npos) << doctor.out;
  // And the integrations the dashboard reads, REST and GraphQL.
  auto integrations = client.Get("/v1/integrations", bearer);
  ASSERT_TRUE(integrations);
  ASSERT_EQ(integrations->status, 200) << integrations->body;
  const auto rest = nlohmann::json::parse(integrations->body)["connections"][0]["feedback_refused"];
  ASSERT_EQ(rest.size(), 1u) << integrations->body;
  EXPECT_EQ(rest[0]["repository"], "acme/repo-1");
  EXPECT_NE(rest[0]["reason"].get<std::string>().find("write:pullrequest:bitbucket"),
            std::string::npos);
  auto graphql = client.Post(
      "/graphql", bearer,
      R"({"query":"{ integrations { connections { feedbackRefused { repository reason } } } }"})",
      "application/json");
  ASSERT_TRUE(graphql);
  const auto refused = nlohmann::json::parse(
      graphql->body)["data"]["integrations"]["connections"][0]["feedbackRefused"];
  ASSERT_EQ(refused.size(), 1u) << graphql->body;
  EXPECT_EQ(refused[0]["repository"], "acme/repo-1");

  // Nothing more is queued or posted for it: a reviewer's comment changes the pull request, but
  // its row stays as it was.
  bitbucket_.PublishComments(61, 1, leadline::common::NowUnixSeconds());
  Event(client, "acme/repo-1", "{review-1}");
  ASSERT_TRUE(WaitFor([&] {
    return Query(
               "SELECT COUNT(*) FROM pull_request_activity WHERE pr_number = 61 AND kind = "
               "'comment'") != "0";
  }));
  EXPECT_EQ(Query("SELECT reason FROM feedback_outbox"), "opened");
  EXPECT_EQ(bitbucket_.feedback_writes(), 0);

  // The post was audited with the host's answer, and /metrics counts it as refused.
  EXPECT_EQ(Query("SELECT token_name || ' ' || method || ' ' || path || ' ' || status FROM "
                  "audit_log WHERE token_name = 'feedback'"),
            "feedback POST acme/repo-1#61 comment 403");
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("leadline_feedback_posts_total{outcome=\"refused\"} 1\n"),
            std::string::npos)
      << metrics->body;

  // Enabled again (the token was given the scope): the next trigger posts.
  ASSERT_EQ(Leadline("feedback enable --repos acme/repo-1 --mode comment").exit_code, 0);
  EXPECT_EQ(Leadline("feedback status").out.find("turned off"), std::string::npos);
  bitbucket_.PublishComments(61, 2, leadline::common::NowUnixSeconds() + 1);
  Event(client, "acme/repo-1", "{review-2}");
  ASSERT_TRUE(WaitFor([&] { return bitbucket_.comments("acme/repo-1", 61).size() == 1; }));
  ASSERT_TRUE(WaitFor([&] {
    return Query("SELECT COUNT(*) FROM audit_log WHERE token_name = 'feedback' AND status = 201") ==
           "1";
  }));
}

// [feedback] of leadline.toml wins over `feedback enable|disable` when the server starts: it turns
// feedback on for acme/repo-1 in comment mode, and off for acme/repo-2 (enabled before).
TEST_F(FeedbackPostTest, LeadlineTomlTurnsFeedbackOnAndOffPerRepository) {
  ASSERT_EQ(Leadline("feedback enable --repos acme/repo-2").exit_code, 0);
  std::ofstream(dir_.Child("leadline.toml"))
      << "[feedback]\n\"acme/*\" = \"off\"\n\"acme/repo-1\" = \"comment\"\n";
  ServerProcess server(db(), Log(), kServeFlags);
  httplib::Client client("127.0.0.1", server.port());
  ASSERT_TRUE(WaitFor([&] {
    return Query(
               "SELECT r.location || ' ' || f.mode FROM feedback_repositories f JOIN "
               "repositories r ON r.id = f.repo_id") == "acme/repo-1 comment";
  }));
  EXPECT_EQ(Query("SELECT COUNT(*) FROM feedback_repositories"), "1");
  EXPECT_NE(ServerLog().find("feedback on for acme/repo-1 (comment, leadline.toml)"),
            std::string::npos)
      << ServerLog();
  OpenPullRequest(client);
  ASSERT_TRUE(WaitFor([&] { return bitbucket_.comments("acme/repo-1", 61).size() == 1; }));
  EXPECT_TRUE(bitbucket_.comments("acme/repo-2", 61).empty());
  EXPECT_EQ(bitbucket_.feedback_writes(), 1);
}

// Data Center, with the trigger a plain `leadline sync` that finds the change: the server posts
// what the sync queued; an edit made elsewhere meanwhile costs a refetch of the version, not a
// second comment.
class DataCenterFeedbackTest : public leadline::testing::BitbucketCliTest {
 protected:
  DataCenterFeedbackTest() : BitbucketCliTest(RecentConfig()) {}
  // PROJ/repo-1 connected, synced and given comments; then a new pull request (#61) on the host.
  void CommentsOnWithANewPullRequest() {
    ConnectAndSelect(ConnectDataCenter(), "PROJ/repo-1");
    ASSERT_EQ(Leadline("sync").exit_code, 0);
    ASSERT_EQ(Leadline("feedback enable --repos 'PROJ/*' --mode comment").exit_code, 0);
    bitbucket_.AddPullRequests(1);
  }
};

TEST_F(DataCenterFeedbackTest, CommentsAreEditedWithTheirVersionRefetchedOnAConflict) {
  CommentsOnWithANewPullRequest();
  if (HasFatalFailure()) return;
  ASSERT_EQ(Leadline("sync", kQuickSync).exit_code, 0);
  EXPECT_EQ(Query("SELECT reason FROM feedback_outbox WHERE number = 61"), "opened");
  ServerProcess server(db(), dir_.Child("serve.log"), kServeFlags);
  ASSERT_TRUE(WaitFor([&] { return bitbucket_.comments("PROJ/repo-1", 61).size() == 1; }));
  // Someone edits the comment between Leadline's reading it and its edit: a 409, a refetch of
  // the comment's version, and the edit again.
  bitbucket_.ChangeBefore("/comments/", 1,
                          [this] { bitbucket_.EditCommentElsewhere("PROJ/repo-1", 61); });
  bitbucket_.PublishComments(61, 1, leadline::common::NowUnixSeconds());
  ASSERT_EQ(Leadline("sync", kQuickSync).exit_code, 0);
  ASSERT_TRUE(WaitFor([&] { return bitbucket_.comment_edits("PROJ/repo-1", 61) == 1; }));
  EXPECT_EQ(bitbucket_.requests_to("/pull-requests/61/comments/"), 3);  // PUT 409, GET, PUT
  EXPECT_EQ(bitbucket_.comments("PROJ/repo-1", 61).size(), 1u);
  // The sync read Leadline's own comment among the activities: it is no review, so only the
  // reviewer's comment is stored.
  EXPECT_EQ(Query("SELECT COUNT(*) FROM pull_request_activity WHERE pr_number = 61 AND kind = "
                  "'comment'"),
            "1");
}

// Posts queued before the server was killed (-9) are posted once it is back, exactly once.
TEST_F(DataCenterFeedbackTest, QueuedPostsOutliveAKillAndArePostedOnceAfterTheRestart) {
  CommentsOnWithANewPullRequest();
  if (HasFatalFailure()) return;
  // Due 5 s after the sync: the server is killed before then.
  ASSERT_EQ(Leadline("sync", "LEADLINE_FEEDBACK_DEBOUNCE=5").exit_code, 0);
  {
    ServerProcess server(db(), dir_.Child("serve.log"), kServeFlags);
    server.Stop(SIGKILL);
  }
  EXPECT_EQ(Query("SELECT COUNT(*) FROM feedback_outbox"), "1");
  EXPECT_EQ(bitbucket_.feedback_writes(), 0);

  ServerProcess server(db(), dir_.Child("serve-again.log"), kServeFlags);
  ASSERT_TRUE(WaitFor([&] { return bitbucket_.comments("PROJ/repo-1", 61).size() == 1; }));
  ASSERT_TRUE(WaitFor([&] { return Query("SELECT COUNT(*) FROM feedback_outbox") == "0"; }));
  std::this_thread::sleep_for(std::chrono::seconds(2));  // a second post would come by now
  EXPECT_EQ(bitbucket_.feedback_writes(), 1);
  EXPECT_EQ(bitbucket_.comment_edits("PROJ/repo-1", 61), 0);
  EXPECT_EQ(Query("SELECT posts FROM feedback_repositories"), "1");
}

// A server killed while its post is in flight (the host holds the request) is started again: it
// takes its claim back at once, under its slot's name (app/server_slot.h), rather than after the
// lease (60 s), and the post lands once: the killed request reached the host, and the new post
// edits what it made.
TEST_F(DataCenterFeedbackTest, APostKilledInFlightIsMadeAtOnceByTheRestartedServer) {
  CommentsOnWithANewPullRequest();
  if (HasFatalFailure()) return;
  ASSERT_EQ(Leadline("sync", kQuickSync).exit_code, 0);
  bitbucket_.HoldFeedbackWrite();
  {
    ServerProcess server(db(), dir_.Child("serve.log"), kServeFlags);
    ASSERT_TRUE(WaitFor([&] { return bitbucket_.holding_feedback_write(); }));
    EXPECT_EQ(server.Stop(SIGKILL), 128 + SIGKILL);
  }
  EXPECT_EQ(Query("SELECT COUNT(*) FROM feedback_outbox WHERE claimed_by IS NOT NULL"), "1");
  bitbucket_.ReleaseFeedbackWrite();
  ASSERT_TRUE(WaitFor([&] { return bitbucket_.comments("PROJ/repo-1", 61).size() == 1; }));

  const auto restarted = std::chrono::steady_clock::now();
  ServerProcess server(db(), dir_.Child("serve-again.log"), kServeFlags);
  ASSERT_TRUE(WaitFor([&] { return Query("SELECT COUNT(*) FROM feedback_outbox") == "0"; }));
  EXPECT_LT(std::chrono::steady_clock::now() - restarted, std::chrono::seconds(30));
  EXPECT_EQ(bitbucket_.comments("PROJ/repo-1", 61).size(), 1u);
  EXPECT_EQ(bitbucket_.comment_edits("PROJ/repo-1", 61), 1);
  EXPECT_EQ(Query("SELECT posts FROM feedback_repositories"), "1");
}

// A 429 reaches the outbox at once (posts get no retries of the HTTP client's), and the post is
// tried again no sooner than the host's Retry-After, though the backoff alone is 1 s.
TEST_F(DataCenterFeedbackTest, A429IsTriedAgainAfterItsRetryAfterThenPosted) {
  CommentsOnWithANewPullRequest();
  if (HasFatalFailure()) return;
  bitbucket_.FailFeedbackWrites(1, 429, 6);
  ASSERT_EQ(Leadline("sync", kQuickSync).exit_code, 0);
  ServerProcess server(db(), dir_.Child("serve.log"), kServeFlags);
  ASSERT_TRUE(WaitFor([&] { return Query("SELECT attempts FROM feedback_outbox") == "1"; }));
  const auto limited_at = std::chrono::steady_clock::now();
  EXPECT_NE(Query("SELECT last_error FROM feedback_outbox").find("HTTP 429"), std::string::npos);
  ASSERT_TRUE(WaitFor([&] { return bitbucket_.comments("PROJ/repo-1", 61).size() == 1; }));
  // Due 6 s after the 429, in whole seconds, and seen here up to a poll later: at least 4 s on; the
  // backoff alone (1 s) would post within 2 s.
  EXPECT_GE(std::chrono::steady_clock::now() - limited_at, std::chrono::seconds(4));
  EXPECT_EQ(bitbucket_.feedback_writes(), 1);
  // Both tries are audited with the host's answers, and counted.
  ASSERT_TRUE(WaitFor([&] {
    return Query("SELECT COUNT(*) FROM audit_log WHERE token_name = 'feedback'") == "2";
  }));
  EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_log WHERE token_name = 'feedback' AND status = 429"),
            "1");
  httplib::Client client("127.0.0.1", server.port());
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  for (const char* line : {"leadline_feedback_posts_total{outcome=\"failed\"} 1\n",
                           "leadline_feedback_posts_total{outcome=\"posted\"} 1\n"}) {
    EXPECT_NE(metrics->body.find(line), std::string::npos) << metrics->body;
  }
}

// A post that waited longer than --feedback-max-age (its host down all along) is dropped
// unposted, and counted.
TEST_F(DataCenterFeedbackTest, PostsOlderThanTheMostAgeAreDroppedAndCounted) {
  CommentsOnWithANewPullRequest();
  if (HasFatalFailure()) return;
  ASSERT_EQ(Leadline("sync", kQuickSync).exit_code, 0);
  {
    auto raw = RawStore();
    ASSERT_NE(raw, nullptr);
    const auto aged = raw->Exec(OnPostgres() ? "UPDATE feedback_outbox SET queued_at = queued_at "
                                               "- interval '8 days'"
                                             : "UPDATE feedback_outbox SET queued_at = queued_at "
                                               "- 691200");
    ASSERT_TRUE(aged.ok()) << aged.message();  // as if queued 8 days ago
  }
  ServerProcess server(db(), dir_.Child("serve.log"),
                       std::string(kServeFlags) + " --feedback-max-age 7d");
  ASSERT_TRUE(WaitFor([&] { return Query("SELECT dropped FROM feedback_repositories") == "1"; }));
  EXPECT_EQ(Query("SELECT COUNT(*) FROM feedback_outbox"), "0");
  EXPECT_EQ(bitbucket_.feedback_writes(), 0);
  const LeadlineRun status = Leadline("feedback status");
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("pending failed dropped\n"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("      0      0       1\n"), std::string::npos) << status.out;
  httplib::Client client("127.0.0.1", server.port());
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("leadline_feedback_posts_total{outcome=\"dropped\"} 1\n"),
            std::string::npos)
      << metrics->body;
  // An age too short to mean anything is refused.
  const LeadlineRun short_age = Leadline("serve --feedback-max-age 30s");
  EXPECT_NE(short_age.exit_code, 0);
  EXPECT_NE(short_age.err.find("--feedback-max-age must be at least 1m (or off)"),
            std::string::npos)
      << short_age.err;
}

// Data Center answers 401, not 403, to a user without write permission on the repository. The
// credentials still read, so the post was refused: the repository's feedback is turned off with
// the reason, as after a 403.
class DataCenterReadOnlyFeedbackTest : public leadline::testing::BitbucketCliTest {
 protected:
  DataCenterReadOnlyFeedbackTest() : BitbucketCliTest(Config()) {}
  static BitbucketDoubleConfig Config() {
    BitbucketDoubleConfig config = RecentConfig();
    config.dc_writable_repositories = 1;  // PROJ/repo-1 only
    return config;
  }
};

TEST_F(DataCenterReadOnlyFeedbackTest, A401ForCredentialsThatStillReadTurnsFeedbackOff) {
  ConnectAndSelect(ConnectDataCenter(), "PROJ/repo-2");
  ASSERT_EQ(Leadline("sync").exit_code, 0);
  ASSERT_EQ(Leadline("feedback enable --repos PROJ/repo-2 --mode comment").exit_code, 0);
  bitbucket_.AddPullRequests(1);
  ASSERT_EQ(Leadline("sync", kQuickSync).exit_code, 0);
  ServerProcess server(db(), dir_.Child("serve.log"), kServeFlags);
  ASSERT_TRUE(WaitFor([&] {
    return Query("SELECT COUNT(*) FROM feedback_repositories WHERE refused_at IS NOT NULL") == "1";
  }));
  EXPECT_EQ(Query("SELECT COUNT(*) FROM feedback_outbox WHERE failed"), "1");
  EXPECT_EQ(bitbucket_.feedback_writes(), 0);
  const LeadlineRun status = Leadline("feedback status");
  EXPECT_NE(status.out.find("PROJ/repo-2: turned off "), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("HTTP 401"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("needs write permission on the repository"), std::string::npos)
      << status.out;
  const LeadlineRun doctor = Leadline("doctor --repo PROJ/repo-2");
  EXPECT_NE(doctor.out.find("warning [feedback_refused]"), std::string::npos) << doctor.out;
  // Audited with the host's answer to the post, not the read that followed it.
  ASSERT_TRUE(WaitFor([&] {
    return Query("SELECT status FROM audit_log WHERE token_name = 'feedback'") == "401";
  }));
}

}  // namespace
