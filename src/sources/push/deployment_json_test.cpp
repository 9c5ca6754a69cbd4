#include "sources/push/deployment_json.h"

#include <gtest/gtest.h>

#include "common/time.h"

namespace leadline::sources {
namespace {

using model::PlatformDeploymentState;
using model::PlatformDeploymentStatus;

TEST(DeploymentJsonTest, ReadsEveryFieldIntoAPlatformRecord) {
  const auto parsed = ParseDeployments(R"({"deployments": [
    {"id": "build-4711", "repository": "acme/api", "environment": "production",
     "commit": "3F2A9C1E7B04", "status": "success", "started_at": "2024-03-05T10:31:00Z",
     "finished_at": "2024-03-05T10:40:00Z", "pipeline_id": "deploy-api", "run_id": "4711",
     "branch": "release/1.4"},
    {"id": "b2", "repository": "acme/web", "environment": "staging", "commit": "abcdef0",
     "status": "in_progress"},
    {"id": "b3", "repository": "acme/web", "environment": "production", "commit": "abcdef0",
     "status": "FAILED", "finished_at": "2024-03-05T11:00:00Z", "run_id": "12"}]})",
                                       kMaxPushedItems);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 3u);
  const PushedDeployment& first = (*parsed)[0];
  EXPECT_EQ(first.repository, "acme/api");
  EXPECT_EQ(first.deployment.provider, model::Provider::kPush);
  EXPECT_EQ(first.deployment.uuid, "build-4711");
  EXPECT_EQ(first.deployment.environment_name, "production");
  EXPECT_FALSE(first.deployment.environment_type.has_value());
  EXPECT_EQ(first.deployment.commit_sha, "3f2a9c1e7b04");
  EXPECT_EQ(first.deployment.state, PlatformDeploymentState::kCompleted);
  EXPECT_EQ(first.deployment.status, PlatformDeploymentStatus::kSuccessful);
  EXPECT_EQ(first.deployment.completed_at, *first.deployment.started_at + 9 * 60);
  EXPECT_EQ(first.deployment.release_name, "deploy-api #4711");
  EXPECT_EQ(first.deployment.branch, "release/1.4");
  EXPECT_EQ((*parsed)[1].deployment.branch, std::nullopt);  // none given
  EXPECT_EQ((*parsed)[1].deployment.state, PlatformDeploymentState::kInProgress);
  EXPECT_FALSE((*parsed)[1].deployment.status.has_value());
  EXPECT_EQ((*parsed)[1].deployment.release_name, "b2");
  EXPECT_EQ((*parsed)[2].deployment.status, PlatformDeploymentStatus::kFailed);
  EXPECT_EQ((*parsed)[2].deployment.release_name, "#12");
}

TEST(DeploymentJsonTest, ListsEveryBadField) {
  const ParsedDeployments parsed = ReadDeployments(R"([
    {"id": "a", "repository": "acme/api", "environment": "production", "commit": "xyz",
     "status": "done"},
    {"id": "b", "environment": "production", "commit": "abcdef0", "status": "success",
     "started_at": "2024-03-05T11:00:00Z", "finished_at": "2024-03-05T10:00:00Z", "by": "ci"},
    {"id": "c", "repository": "acme/api", "environment": "production", "commit": "abcdef0",
     "status": "success"},
    {"id": "d", "repository": "acme/api", "environment": "production", "commit": "abcdef0",
     "status": "failed", "finished_at": ""},
    {"id": "e", "repository": "acme/api", "environment": "production", "commit": "abcdef0",
     "status": "stopped", "finished_at": "yesterday"}])",
                                                   kMaxPushedItems);
  std::vector<std::string> fields;
  for (const FieldError& error : parsed.errors) fields.push_back(error.field);
  // An empty finish is as missing as an absent one; a malformed one is reported once.
  EXPECT_EQ(fields, (std::vector<std::string>{"[0].commit", "[0].status", "[1].repository",
                                              "[1].by", "[1].finished_at", "[2].finished_at",
                                              "[3].finished_at", "[4].finished_at"}));
  EXPECT_EQ(parsed.errors[6].message, "is required once a deployment is over");
  EXPECT_EQ(parsed.errors[1].message,
            "must be success, failed, stopped or in_progress, not 'done'");
  EXPECT_EQ(parsed.errors[4].message, "is before started_at");
  EXPECT_EQ(parsed.errors[5].message, "is required once a deployment is over");
}

TEST(DeploymentJsonTest, OneIdOnce) {
  const char* one = R"({"id": "a", "repository": "r/s", "environment": "production",
    "commit": "abcdef0", "status": "in_progress"})";
  EXPECT_EQ(ParseDeployments(one, kMaxPushedItems)->size(), 1u);
  EXPECT_EQ(ParseDeployments(std::string("[") + one + "," + one + "]", kMaxPushedItems)
                .status()
                .message(),
            "the document: the id 'a' is given more than once");
  EXPECT_EQ(ParseDeployments("nope", kMaxPushedItems).status().message(),
            "the document: is not valid JSON");
}

TEST(DeploymentJsonTest, BoundsTextFieldsAndRefusesControlCharacters) {
  const std::string long_text(kMaxIdentifierBytes + 1, 'a');
  const ParsedDeployments parsed = ReadDeployments(
      R"([{"id": ")" + long_text + R"(", "repository": "acme/api\u0000", "environment": ")" +
          long_text + R"(", "commit": "abcdef0", "status": "in_progress",
           "pipeline_id": "deploy\u001b[0m", "run_id": ")" +
          long_text + R"("},
          {"id": "b\u007f", "repository": ")" +
          std::string(kMaxIdentifierBytes, 'r') +
          R"(", "environment": "production", "commit": "abcdef0", "status": "in_progress",
           "started_at": ")" +
          long_text + R"("}])",
      kMaxPushedItems);
  std::vector<std::string> fields;
  for (const FieldError& error : parsed.errors) fields.push_back(error.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"[0].id", "[0].repository", "[0].environment",
                                              "[0].pipeline_id", "[0].run_id", "[1].id",
                                              "[1].started_at"}));
  EXPECT_EQ(parsed.errors[0].message, "must be at most 200 bytes, not 201");
  EXPECT_EQ(parsed.errors[1].message,
            "must not contain control characters (bytes below 0x20, or 0x7f)");
  EXPECT_EQ(parsed.errors[6].message, "must be at most 200 bytes, not 201");
}

TEST(DeploymentJsonTest, RefusesTimesBefore1970OrMoreThanADayAhead) {
  const std::string tomorrow = common::FormatRfc3339(common::NowUnixSeconds() + 23 * 3600);
  const ParsedDeployments parsed = ReadDeployments(
      R"([{"id": "a", "repository": "acme/api", "environment": "production", "commit": "abcdef0",
           "status": "success", "started_at": "1969-12-31T23:59:59Z",
           "finished_at": "2099-01-01T00:00:00Z"},
          {"id": "b", "repository": "acme/api", "environment": "production", "commit": "abcdef0",
           "status": "success", "finished_at": ")" +
          tomorrow + R"("}])",
      kMaxPushedItems);
  std::vector<std::string> fields;
  for (const FieldError& error : parsed.errors) fields.push_back(error.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"[0].started_at", "[0].finished_at"}));
  ASSERT_EQ(parsed.errors.size(), 2u);
  EXPECT_EQ(parsed.errors[0].message, "must not be before 1970, not '1969-12-31T23:59:59Z'");
  EXPECT_EQ(parsed.errors[1].message,
            "must not be more than a day in the future, not '2099-01-01T00:00:00Z'");
}

TEST(DeploymentJsonTest, RefusesAnEmptyListAndMoreThanTheLimit) {
  EXPECT_EQ(ParseDeployments("[]", kMaxPushedItems).status().message(),
            "the document: has no deployments");
  EXPECT_EQ(ParseDeployments(R"({"deployments": []})", kNoItemLimit).status().message(),
            "the document: has no deployments");
  const char* one = R"({"id": "a", "repository": "r/s", "environment": "production",
    "commit": "abcdef0", "status": "in_progress"})";
  const ParsedDeployments over =
      ReadDeployments(std::string(R"({"deployments": [)") + one + "," + one + "]}", 1);
  EXPECT_TRUE(over.deployments.empty());
  ASSERT_EQ(over.errors.size(), 1u);
  EXPECT_EQ(over.errors[0].message, "has 2 deployments; send at most 1 in one request");
}

}  // namespace
}  // namespace leadline::sources
