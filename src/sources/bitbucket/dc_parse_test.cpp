#include "sources/bitbucket/dc_parse.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

#include "sources/bitbucket/testing_support.h"

namespace leadline::sources::bitbucket {
namespace {

using model::PullRequestActivityKind;
using model::PullRequestState;
using nlohmann::json;
using ::testing::ElementsAre;
using testing::ExpectRejected;
using testing::Fixture;
using testing::kRemove;
using testing::WithField;

TEST(DcRepository, LocationIsProjectKeyAndSlug) {
  const json repository = {
      {"slug", "first-repo"},
      {"id", 2},
      {"name", "First Repo"},
      {"scmId", "git"},
      {"state", "AVAILABLE"},
      {"project", {{"key", "TP"}, {"id", 1}, {"name", "Test Project"}}},
      {"links",
       {{"clone",
         {{{"href", "ssh://git@localhost:7999/tp/first-repo.git"}, {"name", "ssh"}},
          {{"href", "http://admin@localhost:7990/scm/tp/first-repo.git"}, {"name", "http"}}}}}}};
  auto parsed = ParseDcRepository(repository);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->location, "TP/first-repo");
  EXPECT_EQ(parsed->name, "First Repo");
  EXPECT_EQ(parsed->source, "bitbucket-dc");
  EXPECT_EQ(parsed->default_branch, "");
  EXPECT_EQ(parsed->clone_url, "http://localhost:7990/scm/tp/first-repo.git");
  EXPECT_EQ(ParseDcRepository(WithField(repository, "/links", kRemove))->clone_url, "");
  ExpectRejected(ParseDcRepository, WithField(repository, "/links/clone/1/href", 7),
                 "field 'links.clone[1].href': expected a string, got a number");
  ExpectRejected(ParseDcRepository, WithField(repository, "/project", kRemove),
                 "field 'project': missing, expected an object");
  ExpectRejected(ParseDcRepository, WithField(repository, "/project/key", 5),
                 "field 'project.key': expected a string, got a number");
}

TEST(DcPullRequest, MergedWithClosedDateAndMergeCommit) {
  const auto pr = ParseDcPullRequest(Fixture("dc/pull_requests.json", 0));
  ASSERT_TRUE(pr.ok()) << pr.status().message();
  EXPECT_EQ(pr->number, 17);
  EXPECT_EQ(pr->title, "PAY-12: Gebühren für SEPA-Lastschrift");
  EXPECT_EQ(pr->state, PullRequestState::kMerged);
  EXPECT_EQ(pr->author.id, "jdoe");
  EXPECT_EQ(pr->author.name, "Jane Doë");
  EXPECT_EQ(pr->source_branch, "feature/PAY-12");
  EXPECT_EQ(pr->target_branch, "main");
  EXPECT_EQ(pr->source_commit, "4e5f60718293a4b5c6d7e8f90123456789abcdef");
  EXPECT_EQ(pr->target_commit, "0123456789abcdef0123456789abcdef01234567");  // toRef.latestCommit
  EXPECT_EQ(pr->merge_commit, "fedcba9876543210fedcba9876543210fedcba98");
  EXPECT_EQ(pr->created_at, 1714557600);  // createdDate 1714557600123 ms
  EXPECT_EQ(pr->updated_at, 1714663845);  // updatedDate 1714663845999 ms
  EXPECT_EQ(pr->closed_at, 1714663845);   // closedDate 1714663845999 ms
  EXPECT_EQ(pr->closed_by, std::nullopt);
  EXPECT_EQ(pr->comment_count, 2);
  EXPECT_FALSE(pr->draft);
}

TEST(DcPullRequest, DeclinedHasAClosedDateButNoMergeCommit) {
  const auto pr = ParseDcPullRequest(Fixture("dc/pull_requests.json", 1));
  ASSERT_TRUE(pr.ok()) << pr.status().message();
  EXPECT_EQ(pr->number, 18);
  EXPECT_EQ(pr->state, PullRequestState::kDeclined);
  EXPECT_EQ(pr->author.id, "kim");
  EXPECT_EQ(pr->closed_at, 1714468333);  // closedDate 1714468333500 ms
  EXPECT_EQ(pr->merge_commit, std::nullopt);
  EXPECT_EQ(pr->comment_count, 0);
}

TEST(DcPullRequest, OpenDraftWithoutProperties) {
  const auto pr = ParseDcPullRequest(Fixture("dc/pull_requests.json", 2));
  ASSERT_TRUE(pr.ok()) << pr.status().message();
  EXPECT_EQ(pr->number, 19);
  EXPECT_EQ(pr->state, PullRequestState::kOpen);
  EXPECT_TRUE(pr->draft);
  EXPECT_EQ(pr->author.id, "svc-bot");
  EXPECT_EQ(pr->target_branch, "release/2024.05");
  EXPECT_EQ(pr->created_at, 1714722300);  // createdDate 1714722300001 ms
  EXPECT_EQ(pr->closed_at, std::nullopt);
  EXPECT_EQ(pr->comment_count, 0);
}

TEST(DcPullRequest, BadFieldsAreNamed) {
  const json merged = Fixture("dc/pull_requests.json", 0);
  const auto parse = ParseDcPullRequest;
  ExpectRejected(parse, WithField(merged, "/createdDate", "2024-05-01T10:00:00Z"),
                 "field 'createdDate': expected an integer of epoch milliseconds, got a string");
  ExpectRejected(parse, WithField(merged, "/closedDate", 1714663845.5),
                 "field 'closedDate': expected an integer of epoch milliseconds, got a fractional "
                 "number");
  ExpectRejected(parse, WithField(merged, "/state", "SUPERSEDED"),
                 "field 'state': unknown pull request state 'SUPERSEDED' (known: OPEN, MERGED, "
                 "DECLINED)");
  ExpectRejected(parse, WithField(merged, "/author/user/slug", kRemove),
                 "field 'author.user.slug': missing, expected a string");
  ExpectRejected(parse, WithField(merged, "/fromRef/latestCommit", nullptr),
                 "field 'fromRef.latestCommit': expected a string, got null");
  ExpectRejected(parse, WithField(merged, "/properties/mergeCommit/id", 7),
                 "field 'properties.mergeCommit.id': expected a string, got a number");
  ExpectRejected(parse, WithField(merged, "/updatedDate", kRemove),
                 "field 'updatedDate': missing, expected an integer of epoch milliseconds");
}

TEST(DcPullRequestCommit, ReadsAuthorTimesAndParents) {
  const auto commit = ParseDcPullRequestCommit(Fixture("dc/pull_request_commits.json", 0), 17);
  ASSERT_TRUE(commit.ok()) << commit.status().message();
  EXPECT_EQ(commit->pr_number, 17);
  EXPECT_EQ(commit->sha, "4e5f60718293a4b5c6d7e8f90123456789abcdef");
  EXPECT_EQ(commit->author.name, "Jane Doë");
  EXPECT_EQ(commit->author.email, "jane@example.com");
  EXPECT_EQ(commit->author_time, 1714556400);     // authorTimestamp 1714556400000 ms
  EXPECT_EQ(commit->committer_time, 1714557330);  // committerTimestamp 1714557330000 ms
  EXPECT_EQ(commit->message, "PAY-12: Gebühr berechnen\n\nRundet auf volle Cent.");
  EXPECT_THAT(commit->parents, ElementsAre("0123456789abcdef0123456789abcdef01234567"));
}

TEST(DcPullRequestCommit, MergeCommitWithoutCommitterTime) {
  const auto commit = ParseDcPullRequestCommit(Fixture("dc/pull_request_commits.json", 1), 17);
  ASSERT_TRUE(commit.ok()) << commit.status().message();
  EXPECT_EQ(commit->author_time, 1714561200);  // authorTimestamp 1714561200000 ms
  EXPECT_EQ(commit->committer_time, std::nullopt);
  EXPECT_THAT(commit->parents, ElementsAre("4e5f60718293a4b5c6d7e8f90123456789abcdef",
                                           "0123456789abcdef0123456789abcdef01234567"));
}

TEST(DcPullRequestCommit, BadFieldsAreNamed) {
  const json commit = Fixture("dc/pull_request_commits.json", 1);
  const auto parse = [](const json& payload) { return ParseDcPullRequestCommit(payload, 17); };
  ExpectRejected(parse, WithField(commit, "/parents/0/id", 4),
                 "field 'parents[0].id': expected a string, got a number");
  ExpectRejected(parse, WithField(commit, "/authorTimestamp", nullptr),
                 "field 'authorTimestamp': expected an integer of epoch milliseconds, got null");
  ExpectRejected(parse, WithField(commit, "/author", "Jane"),
                 "field 'author': expected an object, got a string");
}

struct ExpectedActivity {
  PullRequestActivityKind kind;
  const char* actor;
  common::UnixSeconds at;
  std::optional<PullRequestState> new_state;
  const char* upstream_id;  // the activity's id (a comment's activity, not the comment's)
};

TEST(DcActivity, MapsTheActionsWeModel) {
  // The fixture's entries, newest first as the API lists them; AUTO_MERGE_REQUESTED (the last)
  // and UNAPPROVED (index 2) are not modelled.
  const std::optional<ExpectedActivity> expected[] = {
      ExpectedActivity{PullRequestActivityKind::kUpdate, "kim", 1714663845,
                       PullRequestState::kMerged, "301"},
      ExpectedActivity{PullRequestActivityKind::kApproval, "kim", 1714662000, std::nullopt, "300"},
      std::nullopt,
      ExpectedActivity{PullRequestActivityKind::kUpdate, "jdoe", 1714562400, std::nullopt, "298"},
      ExpectedActivity{PullRequestActivityKind::kChangesRequested, "kim", 1714561200, std::nullopt,
                       "297"},
      ExpectedActivity{PullRequestActivityKind::kComment, "kim", 1714557600, std::nullopt, "296"},
      ExpectedActivity{PullRequestActivityKind::kUpdate, "jdoe", 1714557600,
                       PullRequestState::kOpen, "295"},
      std::nullopt,
  };
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    SCOPED_TRACE(i);
    const auto activity = ParseDcActivity(Fixture("dc/pull_request_activities.json", i), 17);
    ASSERT_TRUE(activity.ok()) << activity.status().message();
    ASSERT_EQ(activity->has_value(), expected[i].has_value());
    if (!expected[i]) continue;
    EXPECT_EQ((*activity)->pr_number, 17);
    EXPECT_EQ((*activity)->kind, expected[i]->kind);
    EXPECT_EQ((*activity)->actor_id, expected[i]->actor);
    EXPECT_EQ((*activity)->at, expected[i]->at);
    EXPECT_EQ((*activity)->new_state, expected[i]->new_state);
    EXPECT_EQ((*activity)->upstream_id, expected[i]->upstream_id);
  }
}

TEST(DcActivity, LeadlinesOwnFeedbackIsNoReview) {
  json comment = Fixture("dc/pull_request_activities.json", 5);  // kim's comment
  ASSERT_TRUE(ParseDcActivity(comment, 17)->has_value());
  comment["comment"]["text"] = "<!-- leadline -->\n**Leadline** · merged";
  const auto own = ParseDcActivity(comment, 17);
  ASSERT_TRUE(own.ok()) << own.status().message();
  EXPECT_FALSE(own->has_value());
}

TEST(DcActivity, BadFieldsAreNamed) {
  const json merged = Fixture("dc/pull_request_activities.json", 0);
  const auto parse = [](const json& payload) { return ParseDcActivity(payload, 17); };
  ExpectRejected(parse, WithField(merged, "/action", "SQUASHED"),
                 "field 'action': unknown pull request action 'SQUASHED' (known: COMMENTED, "
                 "APPROVED, REVIEWED, OPENED, REOPENED, MERGED, DECLINED, UPDATED, RESCOPED, "
                 "UNAPPROVED, DELETED, REVIEW_COMMENTED, REVIEW_DISCARDED, REVIEW_FINISHED, "
                 "AUTO_MERGE_REQUESTED, AUTO_MERGE_CANCELLED)");
  ExpectRejected(parse, WithField(merged, "/user/slug", kRemove),
                 "field 'user.slug': missing, expected a string");
  ExpectRejected(parse, WithField(merged, "/id", "301"),
                 "field 'id': expected an integer, got a string");
  ExpectRejected(parse, WithField(merged, "/createdDate", "yesterday"),
                 "field 'createdDate': expected an integer of epoch milliseconds, got a string");
}

TEST(DcBuildStatus, ReadsStateTimesAndTheBuildPlanPerCommit) {
  const std::string sha = "0123456789abcdef0123456789abcdef01234567";
  const auto failed = ParseDcBuildStatus(Fixture("dc/build_statuses.json", 0), sha);
  ASSERT_TRUE(failed.ok()) << failed.status().message();
  EXPECT_EQ(failed->uuid, "PAY-BUILD-JOB1@" + sha);
  EXPECT_EQ(failed->commit_sha, sha);
  EXPECT_EQ(failed->build_number, 812);
  EXPECT_EQ(failed->ref_name, "main");
  EXPECT_EQ(failed->state, model::PipelineState::kCompleted);
  EXPECT_EQ(failed->result, model::PipelineResult::kFailed);
  EXPECT_EQ(failed->created_at, 1714662000);
  EXPECT_EQ(failed->completed_at, 1714662412);
  EXPECT_EQ(failed->duration_s, 412);

  const auto running = ParseDcBuildStatus(Fixture("dc/build_statuses.json", 1), sha);
  ASSERT_TRUE(running.ok()) << running.status().message();
  EXPECT_EQ(running->state, model::PipelineState::kInProgress);
  EXPECT_FALSE(running->result.has_value());
  EXPECT_FALSE(running->completed_at.has_value());
  EXPECT_FALSE(running->build_number.has_value());  // "release-77" is not a number

  // Servers before 7.14 send dateAdded and no ref.
  const auto legacy = ParseDcBuildStatus(Fixture("dc/build_statuses.json", 2), sha);
  ASSERT_TRUE(legacy.ok()) << legacy.status().message();
  EXPECT_EQ(legacy->created_at, 1714560000);
  EXPECT_EQ(legacy->completed_at, 1714560000);
  EXPECT_EQ(legacy->result, model::PipelineResult::kSuccessful);
  EXPECT_EQ(legacy->ref_name, "");
}

TEST(DcBuildStatus, BadFieldsAreNamed) {
  const json build = Fixture("dc/build_statuses.json", 0);
  const auto parse = [](const json& payload) { return ParseDcBuildStatus(payload, "abc"); };
  ExpectRejected(parse, WithField(build, "/state", "PAUSED"),
                 "field 'state': unknown build state 'PAUSED'");
  ExpectRejected(parse, WithField(build, "/key", kRemove), "field 'key': missing");
  ExpectRejected(parse, WithField(WithField(build, "/createdDate", kRemove), "/dateAdded", "x"),
                 "field 'dateAdded': expected");
}

}  // namespace
}  // namespace leadline::sources::bitbucket
