#include "sources/bitbucket/cloud_parse.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "bitbucket_double/fields_filter.h"
#include "sources/bitbucket/cloud_fields.h"
#include "sources/bitbucket/testing_support.h"

namespace leadline::sources::bitbucket {
namespace {

using common::FormatRfc3339;
using model::EnvironmentType;
using model::PipelineResult;
using model::PipelineState;
using model::PlatformDeploymentState;
using model::PlatformDeploymentStatus;
using model::PullRequestActivityKind;
using model::PullRequestState;
using nlohmann::json;
using ::testing::ElementsAre;
using testing::ExpectRejected;
using testing::Fixture;
using testing::kRemove;
using testing::WithField;

constexpr const char* kRavi = "{5b1f6c2d-3e4a-4b5c-9d6e-7f8091a2b3c4}";
constexpr const char* kZoe = "{2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f}";

std::string Rfc3339(std::optional<common::UnixSeconds> t) {
  return t ? FormatRfc3339(*t) : "(none)";
}

TEST(CloudRepository, ReadsFullNameNameAndMainBranch) {
  const auto repository = ParseCloudRepository(Fixture("cloud/repository.json"));
  ASSERT_TRUE(repository.ok()) << repository.status().message();
  EXPECT_EQ(repository->source, "bitbucket-cloud");
  EXPECT_EQ(repository->location, "acme/payments-api");
  EXPECT_EQ(repository->name, "Payments API");
  EXPECT_EQ(repository->default_branch, "main");
  // The viewer's nickname in the link is dropped: the mirror authenticates on its own.
  EXPECT_EQ(repository->clone_url, "https://bitbucket.org/acme/payments-api.git");
  EXPECT_EQ(repository->upstream_id,
            "{a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d}");  // CI tokens name it
}

TEST(CloudRepository, EmptyRepositoryHasNoMainBranch) {
  const auto repository =
      ParseCloudRepository(WithField(Fixture("cloud/repository.json"), "/mainbranch", nullptr));
  ASSERT_TRUE(repository.ok()) << repository.status().message();
  EXPECT_EQ(repository->default_branch, "");
}

TEST(CloudPullRequest, MergedKeepsTheAbbreviatedHashes) {
  const auto pr = ParseCloudPullRequest(Fixture("cloud/pullrequests.json", 0));
  ASSERT_TRUE(pr.ok()) << pr.status().message();
  EXPECT_EQ(pr->number, 41);
  EXPECT_EQ(pr->title, "Zahlungsabgleich für Ämter");
  EXPECT_EQ(pr->state, PullRequestState::kMerged);
  EXPECT_EQ(pr->author.id, kZoe);
  EXPECT_EQ(pr->author.name, "Zoë Müller");
  EXPECT_EQ(pr->source_branch, "feature/abgleich");
  EXPECT_EQ(pr->target_branch, "main");
  EXPECT_EQ(pr->source_commit, "a1b2c3d4e5f6");
  EXPECT_EQ(pr->target_commit, "0f1e2d3c4b5a");  // destination.commit: the target before
  EXPECT_EQ(pr->merge_commit, "9f3c2a1b7e4d");
  EXPECT_EQ(FormatRfc3339(pr->created_at), "2024-03-04T09:15:27Z");
  EXPECT_EQ(FormatRfc3339(pr->updated_at), "2024-03-05T16:42:10Z");
  EXPECT_EQ(pr->closed_at, std::nullopt);  // Cloud sends closed_on only when asked
  EXPECT_EQ(pr->closed_by, kRavi);
  EXPECT_EQ(pr->comment_count, 3);
  EXPECT_FALSE(pr->draft);
}

TEST(CloudPullRequest, ClosedOnIsReadWhenRequested) {
  const json merged = WithField(Fixture("cloud/pullrequests.json", 0), "/closed_on",
                                "2024-03-05T16:42:10.654321+00:00");
  const auto pr = ParseCloudPullRequest(merged);
  ASSERT_TRUE(pr.ok()) << pr.status().message();
  EXPECT_EQ(Rfc3339(pr->closed_at), "2024-03-05T16:42:10Z");
}

TEST(CloudPullRequest, DeclinedHasACloserButNoMergeCommit) {
  const auto pr = ParseCloudPullRequest(Fixture("cloud/pullrequests.json", 1));
  ASSERT_TRUE(pr.ok()) << pr.status().message();
  EXPECT_EQ(pr->number, 42);
  EXPECT_EQ(pr->state, PullRequestState::kDeclined);
  EXPECT_EQ(pr->merge_commit, std::nullopt);
  EXPECT_EQ(pr->closed_by, kRavi);
  EXPECT_EQ(pr->source_commit, "d4c3b2a1f0e9");
  EXPECT_EQ(FormatRfc3339(pr->created_at), "2024-03-01T14:00:00Z");
  EXPECT_EQ(FormatRfc3339(pr->updated_at), "2024-03-02T08:05:59Z");  // fraction truncated
  EXPECT_EQ(pr->comment_count, 0);
}

TEST(CloudPullRequest, OpenDraftWithOffsetTimes) {
  const auto pr = ParseCloudPullRequest(Fixture("cloud/pullrequests.json", 2));
  ASSERT_TRUE(pr.ok()) << pr.status().message();
  EXPECT_EQ(pr->number, 43);
  EXPECT_EQ(pr->state, PullRequestState::kOpen);
  EXPECT_TRUE(pr->draft);
  EXPECT_EQ(pr->closed_by, std::nullopt);
  EXPECT_EQ(pr->merge_commit, std::nullopt);
  EXPECT_EQ(FormatRfc3339(pr->created_at), "2024-03-06T08:00:00Z");  // 10:00:00.5+02:00
  EXPECT_EQ(FormatRfc3339(pr->updated_at), "2024-03-06T08:30:00Z");  // 10:30:00+02:00
}

TEST(CloudPullRequest, SupersededFromADeletedFork) {
  const auto pr = ParseCloudPullRequest(Fixture("cloud/pullrequests.json", 3));
  ASSERT_TRUE(pr.ok()) << pr.status().message();
  EXPECT_EQ(pr->number, 44);
  EXPECT_EQ(pr->state, PullRequestState::kSuperseded);
  EXPECT_EQ(pr->source_branch, "renovate/ledger-client");
  EXPECT_EQ(pr->source_commit, "");
}

TEST(CloudPullRequest, BadFieldsAreNamed) {
  const json merged = Fixture("cloud/pullrequests.json", 0);
  const auto parse = ParseCloudPullRequest;
  ExpectRejected(parse, WithField(merged, "/created_on", 1709543727),
                 "field 'created_on': expected an RFC 3339 string, got a number");
  ExpectRejected(parse, WithField(merged, "/updated_on", "2024-13-05T16:42:10+00:00"),
                 "field 'updated_on': '2024-13-05T16:42:10+00:00' is not an RFC 3339 time");
  ExpectRejected(parse, WithField(merged, "/title", kRemove),
                 "field 'title': missing, expected a string");
  ExpectRejected(parse, WithField(merged, "/id", "41"),
                 "field 'id': expected an integer, got a string");
  ExpectRejected(parse, WithField(merged, "/state", "FROZEN"),
                 "field 'state': unknown pull request state 'FROZEN' (known: OPEN, MERGED, "
                 "DECLINED, SUPERSEDED)");
  ExpectRejected(parse, WithField(merged, "/author/uuid", nullptr),
                 "field 'author.uuid': expected a string, got null");
  ExpectRejected(parse, WithField(merged, "/merge_commit/hash", 9),
                 "field 'merge_commit.hash': expected a string, got a number");
  ExpectRejected(parse, WithField(merged, "/destination/branch", kRemove),
                 "field 'destination.branch': missing, expected an object");
  ExpectRejected(parse, WithField(merged, "/draft", "no"),
                 "field 'draft': expected a boolean, got a string");
  ExpectRejected(parse, json::array(), "expected a JSON object, got an array");
}

TEST(CloudPullRequestCommit, SplitsTheRawAuthorAndKeepsParents) {
  const auto commit = ParseCloudPullRequestCommit(Fixture("cloud/pullrequest_commits.json", 0), 41);
  ASSERT_TRUE(commit.ok()) << commit.status().message();
  EXPECT_EQ(commit->pr_number, 41);
  EXPECT_EQ(commit->sha, "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678");
  EXPECT_EQ(commit->author.name, "Zoë Müller");
  EXPECT_EQ(commit->author.email, "zoe@example.com");
  EXPECT_EQ(FormatRfc3339(commit->author_time), "2024-03-04T10:02:03Z");  // 11:02:03+01:00
  EXPECT_EQ(commit->committer_time, std::nullopt);
  EXPECT_EQ(commit->message, "Beträge kaufmännisch runden\n");
  EXPECT_THAT(commit->parents, ElementsAre("c0ffee0000000000000000000000000000000001"));
}

TEST(CloudPullRequestCommit, MergeCommitByAnAuthorWithoutEmail) {
  const auto commit = ParseCloudPullRequestCommit(Fixture("cloud/pullrequest_commits.json", 1), 41);
  ASSERT_TRUE(commit.ok()) << commit.status().message();
  EXPECT_EQ(commit->author.name, "ci-bot");
  EXPECT_EQ(commit->author.email, "");
  EXPECT_THAT(commit->parents, ElementsAre("0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6",
                                           "5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f"));
}

TEST(CloudPullRequestCommit, BadFieldsAreNamed) {
  const json commit = Fixture("cloud/pullrequest_commits.json", 1);
  const auto parse = [](const json& payload) { return ParseCloudPullRequestCommit(payload, 41); };
  ExpectRejected(parse, WithField(commit, "/parents/1/hash", kRemove),
                 "field 'parents[1].hash': missing, expected a string");
  ExpectRejected(parse, WithField(commit, "/author/raw", nullptr),
                 "field 'author.raw': expected a string, got null");
  ExpectRejected(parse, WithField(commit, "/date", "yesterday"),
                 "field 'date': 'yesterday' is not an RFC 3339 time");
}

struct ExpectedActivity {
  PullRequestActivityKind kind;
  const char* actor;
  const char* at;
  std::optional<PullRequestState> new_state;
  const char* upstream_id;  // only comments have an id
};

TEST(CloudActivity, ReadsEachKindOfEntry) {
  const ExpectedActivity expected[] = {
      {PullRequestActivityKind::kComment, kRavi, "2024-03-04T12:00:01Z", std::nullopt, "512"},
      {PullRequestActivityKind::kChangesRequested, kRavi, "2024-03-04T12:01:30Z", std::nullopt, ""},
      {PullRequestActivityKind::kApproval, kRavi, "2024-03-05T16:40:00Z", std::nullopt, ""},
      {PullRequestActivityKind::kUpdate, kRavi, "2024-03-05T16:42:10Z", PullRequestState::kMerged,
       ""},
      {PullRequestActivityKind::kUpdate, kZoe, "2024-03-04T09:15:27Z", PullRequestState::kOpen, ""},
  };
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    SCOPED_TRACE(i);
    const auto activity = ParseCloudActivity(Fixture("cloud/pullrequest_activity.json", i));
    ASSERT_TRUE(activity.ok()) << activity.status().message();
    ASSERT_TRUE(activity->has_value());
    EXPECT_EQ((*activity)->pr_number, 41);
    EXPECT_EQ((*activity)->kind, expected[i].kind);
    EXPECT_EQ((*activity)->actor_id, expected[i].actor);
    EXPECT_EQ(FormatRfc3339((*activity)->at), expected[i].at);
    EXPECT_EQ((*activity)->new_state, expected[i].new_state);
    EXPECT_EQ((*activity)->upstream_id, expected[i].upstream_id);
  }
}

TEST(CloudActivity, BadEntriesAreNamed) {
  const json comment = Fixture("cloud/pullrequest_activity.json", 0);
  const json update = Fixture("cloud/pullrequest_activity.json", 3);
  ExpectRejected(ParseCloudActivity, WithField(comment, "/comment", kRemove),
                 "activity entry holds none of 'comment', 'update', 'approval', "
                 "'changes_requested'");
  ExpectRejected(ParseCloudActivity, WithField(comment, "/comment/user", kRemove),
                 "field 'comment.user': missing, expected an object");
  ExpectRejected(ParseCloudActivity, WithField(comment, "/comment/id", kRemove),
                 "field 'comment.id': missing, expected an integer");
  ExpectRejected(ParseCloudActivity, WithField(update, "/update/state", "REOPENED"),
                 "field 'update.state': unknown pull request state 'REOPENED'");
  ExpectRejected(ParseCloudActivity, WithField(update, "/pull_request/id", nullptr),
                 "field 'pull_request.id': expected an integer, got null");
}

TEST(CloudPullRequestComment, IsACommentActivity) {
  const auto comment = ParseCloudPullRequestComment(Fixture("cloud/pullrequest_comments.json", 0));
  ASSERT_TRUE(comment.ok()) << comment.status().message();
  ASSERT_TRUE(comment->has_value());
  EXPECT_EQ((*comment)->pr_number, 41);
  EXPECT_EQ((*comment)->kind, PullRequestActivityKind::kComment);
  EXPECT_EQ((*comment)->actor_id, kZoe);
  EXPECT_EQ(FormatRfc3339((*comment)->at), "2024-03-04T12:10:45Z");
  EXPECT_EQ((*comment)->new_state, std::nullopt);
  EXPECT_EQ((*comment)->upstream_id, "513");  // the id its activity entry gives it
}

TEST(CloudPullRequestComment, LeadlinesOwnFeedbackIsNoReview) {
  json comment = Fixture("cloud/pullrequest_comments.json", 0);
  comment["content"] = {{"raw", "\n<!-- leadline -->\n**Leadline** · in review for 3h"}};
  const auto own = ParseCloudPullRequestComment(comment);
  ASSERT_TRUE(own.ok()) << own.status().message();
  EXPECT_FALSE(own->has_value());
  json entry = Fixture("cloud/pullrequest_activity.json", 0);
  entry["comment"]["content"] = comment["content"];
  const auto in_activity = ParseCloudActivity(entry);
  ASSERT_TRUE(in_activity.ok()) << in_activity.status().message();
  EXPECT_FALSE(in_activity->has_value());
  // A person quoting the marker later in their comment is a review all the same.
  entry["comment"]["content"]["raw"] = "LGTM, unlike <!-- leadline --> says";
  EXPECT_TRUE(ParseCloudActivity(entry)->has_value());
}

TEST(CloudPullRequestComment, BadFieldsAreNamed) {
  const json comment = Fixture("cloud/pullrequest_comments.json", 0);
  ExpectRejected(ParseCloudPullRequestComment, WithField(comment, "/pullrequest", kRemove),
                 "field 'pullrequest': missing, expected an object");
  ExpectRejected(ParseCloudPullRequestComment, WithField(comment, "/created_on", nullptr),
                 "field 'created_on': expected an RFC 3339 string, got null");
}

TEST(CloudPipeline, CompletedWithAFailedResult) {
  const auto pipeline = ParseCloudPipeline(Fixture("cloud/pipelines.json", 0));
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().message();
  EXPECT_EQ(pipeline->uuid, "{c0ffee11-aaaa-4bbb-8ccc-000000000087}");
  EXPECT_EQ(pipeline->build_number, 87);
  EXPECT_EQ(pipeline->ref_name, "main");
  EXPECT_EQ(pipeline->ref_type, "branch");
  EXPECT_EQ(pipeline->commit_sha, "9f3c2a1b7e4d5f60718293a4b5c6d7e8f9012345");
  EXPECT_EQ(pipeline->state, PipelineState::kCompleted);
  EXPECT_EQ(pipeline->result, PipelineResult::kFailed);
  EXPECT_EQ(FormatRfc3339(pipeline->created_at), "2024-03-05T16:42:30Z");
  EXPECT_EQ(Rfc3339(pipeline->completed_at), "2024-03-05T16:44:05Z");
  EXPECT_EQ(pipeline->duration_s, 95);
}

TEST(CloudPipeline, SuccessfulOnATag) {
  const auto pipeline = ParseCloudPipeline(Fixture("cloud/pipelines.json", 1));
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().message();
  EXPECT_EQ(pipeline->ref_name, "v2.4.0");
  EXPECT_EQ(pipeline->ref_type, "tag");
  EXPECT_EQ(pipeline->state, PipelineState::kCompleted);
  EXPECT_EQ(pipeline->result, PipelineResult::kSuccessful);
  EXPECT_EQ(Rfc3339(pipeline->completed_at), "2024-03-05T17:03:20Z");
  EXPECT_EQ(pipeline->duration_s, 200);
}

TEST(CloudPipeline, RunningAndPendingHaveNoResult) {
  const auto running = ParseCloudPipeline(Fixture("cloud/pipelines.json", 2));
  ASSERT_TRUE(running.ok()) << running.status().message();
  EXPECT_EQ(running->state, PipelineState::kInProgress);
  EXPECT_EQ(running->result, std::nullopt);
  EXPECT_EQ(running->completed_at, std::nullopt);
  EXPECT_EQ(running->duration_s, std::nullopt);
  const auto pending = ParseCloudPipeline(Fixture("cloud/pipelines.json", 3));
  ASSERT_TRUE(pending.ok()) << pending.status().message();
  EXPECT_EQ(pending->build_number, 90);
  EXPECT_EQ(pending->state, PipelineState::kPending);
  EXPECT_EQ(pending->result, std::nullopt);
  EXPECT_EQ(FormatRfc3339(pending->created_at), "2024-03-06T08:01:00Z");
}

TEST(CloudPipeline, ErrorOnABareCommit) {
  const auto pipeline = ParseCloudPipeline(Fixture("cloud/pipelines.json", 4));
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().message();
  EXPECT_EQ(pipeline->ref_name, "");
  EXPECT_EQ(pipeline->ref_type, "");
  EXPECT_EQ(pipeline->commit_sha, "b2c3d4e5f60718293a4b5c6d7e8f901234567890");
  EXPECT_EQ(pipeline->result, PipelineResult::kError);
  EXPECT_EQ(pipeline->duration_s, 7200);
}

TEST(CloudPipeline, FlatStatusWordsImplyTheirState) {
  const json pending = Fixture("cloud/pipelines.json", 3);
  const auto passed = ParseCloudPipeline(WithField(pending, "/state/name", "PASSED"));
  ASSERT_TRUE(passed.ok()) << passed.status().message();
  EXPECT_EQ(passed->state, PipelineState::kCompleted);
  EXPECT_EQ(passed->result, PipelineResult::kSuccessful);
  const auto halted = ParseCloudPipeline(
      WithField(pending, "/state", json{{"name", "HALTED"}, {"result", {{"name", "HALTED"}}}}));
  ASSERT_TRUE(halted.ok()) << halted.status().message();
  EXPECT_EQ(halted->state, PipelineState::kPaused);
  EXPECT_EQ(halted->result, std::nullopt);
}

// In progress, but stopped at a manual step: the stage says so (as in the captured pipelines).
TEST(CloudPipeline, APausedOrHaltedStageWaitsForAPerson) {
  const json running = Fixture("cloud/pipelines.json", 2);
  for (const char* stage : {"PAUSED", "HALTED"}) {
    const auto paused = ParseCloudPipeline(WithField(
        running, "/state",
        json{{"type", "pipeline_state_in_progress"},
             {"name", "IN_PROGRESS"},
             {"stage", {{"type", "pipeline_state_in_progress_paused"}, {"name", stage}}}}));
    ASSERT_TRUE(paused.ok()) << paused.status().message();
    EXPECT_EQ(paused->state, PipelineState::kPaused) << stage;
  }
  const auto other = ParseCloudPipeline(WithField(
      running, "/state", json{{"name", "IN_PROGRESS"}, {"stage", {{"name", "SOMETHING_NEW"}}}}));
  ASSERT_TRUE(other.ok()) << other.status().message();
  EXPECT_EQ(other->state, PipelineState::kInProgress);
}

TEST(CloudPipeline, BadFieldsAreNamed) {
  const json failed = Fixture("cloud/pipelines.json", 0);
  ExpectRejected(ParseCloudPipeline, WithField(failed, "/state/result/name", "FLAKY"),
                 "field 'state.result.name': unknown pipeline result 'FLAKY' (known: PENDING, "
                 "IN_PROGRESS, RUNNING, PAUSED, HALTED, COMPLETED, SUCCESSFUL, PASSED, FAILED, "
                 "ERROR, STOPPED, EXPIRED)");
  ExpectRejected(ParseCloudPipeline, WithField(failed, "/state/name", kRemove),
                 "field 'state.name': missing, expected a string");
  ExpectRejected(ParseCloudPipeline, WithField(failed, "/target/commit", kRemove),
                 "field 'target.commit': missing, expected an object");
  ExpectRejected(ParseCloudPipeline, WithField(failed, "/target/ref_type", 1),
                 "field 'target.ref_type': expected a string, got a number");
  ExpectRejected(ParseCloudPipeline, WithField(failed, "/duration_in_seconds", 95.5),
                 "field 'duration_in_seconds': expected an integer, got a fractional number");
  ExpectRejected(ParseCloudPipeline, WithField(failed, "/completed_on", "2024-03-05 16:44"),
                 "field 'completed_on': '2024-03-05 16:44' is not an RFC 3339 time");
}

TEST(CloudEnvironment, ReadsEachType) {
  const struct {
    const char* uuid;
    const char* name;
    EnvironmentType type;
  } expected[] = {
      {"{e0000001-1111-4222-8333-444455556661}", "Test", EnvironmentType::kTest},
      {"{e0000001-1111-4222-8333-444455556662}", "Staging EU", EnvironmentType::kStaging},
      {"{e0000001-1111-4222-8333-444455556663}", "Produktion", EnvironmentType::kProduction},
  };
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    SCOPED_TRACE(i);
    const auto environment = ParseCloudEnvironment(Fixture("cloud/environments.json", i));
    ASSERT_TRUE(environment.ok()) << environment.status().message();
    EXPECT_EQ(environment->uuid, expected[i].uuid);
    EXPECT_EQ(environment->name, expected[i].name);
    EXPECT_EQ(environment->type, expected[i].type);
  }
}

TEST(CloudEnvironment, BadFieldsAreNamed) {
  const json test = Fixture("cloud/environments.json", 0);
  ExpectRejected(ParseCloudEnvironment, WithField(test, "/environment_type/name", "Development"),
                 "field 'environment_type.name': unknown environment type 'Development' (known: "
                 "Test, Staging, Production)");
  ExpectRejected(ParseCloudEnvironment, WithField(test, "/uuid", kRemove),
                 "field 'uuid': missing, expected a string");
}

TEST(CloudDeployment, UuidOnlyEnvironmentAndAFailedCompletion) {
  const auto deployment = ParseCloudDeployment(Fixture("cloud/deployments.json", 0));
  ASSERT_TRUE(deployment.ok()) << deployment.status().message();
  EXPECT_EQ(deployment->uuid, "{d0000001-aaaa-5bbb-8ccc-000000000001}");
  EXPECT_EQ(deployment->environment_uuid, "{e0000001-1111-4222-8333-444455556663}");
  EXPECT_EQ(deployment->environment_name, std::nullopt);
  EXPECT_EQ(deployment->environment_type, std::nullopt);
  EXPECT_EQ(deployment->state, PlatformDeploymentState::kCompleted);
  EXPECT_EQ(deployment->status, PlatformDeploymentStatus::kFailed);
  EXPECT_EQ(deployment->commit_sha, "9f3c2a1b7e4d5f60718293a4b5c6d7e8f9012345");
  EXPECT_EQ(Rfc3339(deployment->started_at), "2024-03-05T16:43:10Z");    // start_date
  EXPECT_EQ(Rfc3339(deployment->completed_at), "2024-03-05T16:44:05Z");  // completion_date
  EXPECT_EQ(deployment->release_name, "#87");
  EXPECT_EQ(deployment->pipeline_uuid, std::nullopt);  // the release names no pipeline
}

TEST(CloudDeployment, NamedEnvironmentAndASuccessfulCompletion) {
  const auto deployment = ParseCloudDeployment(Fixture("cloud/deployments.json", 1));
  ASSERT_TRUE(deployment.ok()) << deployment.status().message();
  EXPECT_EQ(deployment->environment_uuid, std::nullopt);
  EXPECT_EQ(deployment->environment_name, "Produktion");
  EXPECT_EQ(deployment->environment_type, EnvironmentType::kProduction);
  EXPECT_EQ(deployment->state, PlatformDeploymentState::kCompleted);
  EXPECT_EQ(deployment->status, PlatformDeploymentStatus::kSuccessful);
  EXPECT_EQ(Rfc3339(deployment->started_at), "2024-03-05T17:02:00Z");    // started_on
  EXPECT_EQ(Rfc3339(deployment->completed_at), "2024-03-05T17:03:19Z");  // completed_on
  EXPECT_EQ(deployment->release_name, "#88");
  EXPECT_EQ(deployment->pipeline_uuid, "{c0ffee11-aaaa-4bbb-8ccc-000000000088}");
}

TEST(CloudDeployment, UndeployedAndInProgress) {
  const auto undeployed = ParseCloudDeployment(Fixture("cloud/deployments.json", 2));
  ASSERT_TRUE(undeployed.ok()) << undeployed.status().message();
  EXPECT_EQ(undeployed->state, PlatformDeploymentState::kUndeployed);
  EXPECT_EQ(undeployed->status, std::nullopt);
  EXPECT_EQ(undeployed->started_at, std::nullopt);
  EXPECT_EQ(undeployed->commit_sha, "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678");
  const auto in_progress = ParseCloudDeployment(Fixture("cloud/deployments.json", 3));
  ASSERT_TRUE(in_progress.ok()) << in_progress.status().message();
  EXPECT_EQ(in_progress->state, PlatformDeploymentState::kInProgress);
  EXPECT_EQ(Rfc3339(in_progress->started_at), "2024-03-06T08:03:30Z");
  EXPECT_EQ(in_progress->completed_at, std::nullopt);
  EXPECT_EQ(in_progress->release_name, "#90");
}

TEST(CloudDeployment, BadFieldsAreNamed) {
  const json failed = Fixture("cloud/deployments.json", 0);
  ExpectRejected(ParseCloudDeployment, WithField(failed, "/state/name", "FOO"),
                 "field 'state.name': unknown deployment state 'FOO' (known: PENDING, "
                 "IN_PROGRESS, COMPLETED, UNDEPLOYED, SUCCESSFUL, FAILED, STOPPED, CANCELLED, "
                 "ROLLED_BACK, UNKNOWN)");
  ExpectRejected(ParseCloudDeployment, WithField(failed, "/state/status/name", "MAYBE"),
                 "field 'state.status.name': unknown deployment status 'MAYBE' (known: "
                 "SUCCESSFUL, FAILED, STOPPED)");
  ExpectRejected(ParseCloudDeployment, WithField(failed, "/environment", json::object()),
                 "field 'environment': expected a 'uuid' or a 'name', got neither");
  ExpectRejected(ParseCloudDeployment, WithField(failed, "/release/commit/hash", kRemove),
                 "field 'release.commit.hash': missing, expected a string");
  ExpectRejected(ParseCloudDeployment, WithField(failed, "/state/start_date", 1709656990),
                 "field 'state.start_date': expected an RFC 3339 string, got a number");
  const json named_pipeline = Fixture("cloud/deployments.json", 1);
  ExpectRejected(ParseCloudDeployment, WithField(named_pipeline, "/release/pipeline", "#88"),
                 "field 'release.pipeline': expected an object, got a string");
  ExpectRejected(ParseCloudDeployment, WithField(named_pipeline, "/release/pipeline/uuid", 88),
                 "field 'release.pipeline.uuid': expected a string, got a number");
}

// Sync asks for partial responses (cloud_fields.h): every fixture still parses without the fields
// they leave out, and the filter really removed something.
TEST(CloudFields, EveryFixtureParsesWithoutTheFieldsSyncLeavesOut) {
  const auto check = [](const char* file, const char* fields, auto parse) {
    json page = Fixture(file);
    const std::string before = page.dump();
    leadline::testing::RemoveExcludedFields(page, fields);
    EXPECT_LT(page.dump().size(), before.size()) << file << ": nothing was left out";
    for (std::size_t i = 0; i < page["values"].size(); ++i) {
      const auto parsed = parse(page["values"][i]);
      EXPECT_TRUE(parsed.ok()) << file << " " << i << ": " << parsed.status().message();
    }
  };
  check("cloud/pullrequests.json", kCloudPullRequestFields, ParseCloudPullRequest);
  check("cloud/pullrequest_activity.json", kCloudActivityFields, ParseCloudActivity);
  check("cloud/pipelines.json", kCloudPipelineFields, ParseCloudPipeline);
  check("cloud/deployments.json", kCloudDeploymentFields, ParseCloudDeployment);
  check("cloud/environments.json", kCloudEnvironmentFields, ParseCloudEnvironment);
}

TEST(CloudFields, TheDoublesFilterRemovesNestedFieldsInEveryElement) {
  json page = {{"values",
                {{{"id", 1}, {"links", {{"self", "x"}}}, {"source", {{"repository", 1}, {"b", 2}}}},
                 {{"id", 2}, {"source", {{"b", 3}}}}}},
               {"next", "n"}};
  leadline::testing::RemoveExcludedFields(
      page, "+values.closed_on,-values.links,-values.source.repository,-values.nothing.here");
  EXPECT_EQ(
      page,
      json({{"values", {{{"id", 1}, {"source", {{"b", 2}}}}, {{"id", 2}, {"source", {{"b", 3}}}}}},
            {"next", "n"}}));
  EXPECT_EQ(leadline::testing::AddedFields("+values.closed_on,-values.links"),
            std::vector<std::string>{"values.closed_on"});
}

}  // namespace
}  // namespace leadline::sources::bitbucket
