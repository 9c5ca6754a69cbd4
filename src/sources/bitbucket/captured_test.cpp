// Every row of every recorded Bitbucket response in ../shared/fixtures/captured goes through the
// matching parser. The recordings stay beside the repository and are not copied into it; in a
// clone without them these tests skip.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "bitbucket_double/fields_filter.h"
#include "common/json/json_object.h"
#include "sources/bitbucket/cloud_fields.h"
#include "sources/bitbucket/cloud_parse.h"
#include "sources/bitbucket/dc_parse.h"
#include "sources/bitbucket/testing_support.h"

namespace leadline::sources::bitbucket {
namespace {

using common::Result;
using common::Status;
using common::json::JsonObject;
using nlohmann::json;

const std::filesystem::path kCapturedDir = LEADLINE_SOURCE_DIR "/../shared/fixtures/captured";

constexpr const char* kAbsent =
    "the captured Bitbucket responses (../shared/fixtures/captured beside the source tree) are "
    "absent in this clone";

// One recorded API object: `data` as the API returned it, `input` the parent object of a nested
// list (null for top-level lists), `id` the recorder's row id.
struct CapturedRow {
  std::string id;
  json data;
  json input;
};

Result<std::vector<CapturedRow>> ReadCaptured(const std::string& relative) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string text,
                            testing::ReadFile((kCapturedDir / relative).string()));
  LEADLINE_ASSIGN_OR_RETURN(const testing::CsvTable table, testing::ParseCsv(text));
  const auto column = [&](const std::string& name) {
    return std::find(table.header.begin(), table.header.end(), name) - table.header.begin();
  };
  const auto id = column("id"), data = column("data"), input = column("input");
  if (static_cast<std::size_t>(std::max({id, data, input})) >= table.header.size()) {
    return Status::InvalidArgument(relative + " lacks an id, data or input column");
  }
  std::vector<CapturedRow> rows;
  for (const std::vector<std::string>& fields : table.rows) {
    CapturedRow row{fields[id], json::parse(fields[data], nullptr, false),
                    json::parse(fields[input], nullptr, false)};
    if (row.data.is_discarded() || row.input.is_discarded()) {
      return Status::InvalidArgument(relative + " row " + row.id + " holds malformed JSON");
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// The pull request number a nested list's row belongs to: input {"BitbucketId": 3}.
Result<std::int64_t> ParentNumber(const json& input) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject parent, JsonObject::Root(input));
  return parent.Integer("BitbucketId");
}

template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.ok() ? Status::Ok() : result.status();
}

struct CapturedFile {
  const char* name;  // for the test's name
  const char* path;  // under kCapturedDir
  std::function<Status(const json& data, const json& input)> parse;
  const char* fields = nullptr;  // the partial response sync asks for (cloud_fields.h), if any
};

// How gtest prints a CapturedFile in test listings: its name, not its bytes.
void PrintTo(const CapturedFile& file, std::ostream* out) { *out << file.path; }

const CapturedFile kParsedFiles[] = {
    {"CloudRepositories", "bitbucket-cloud/_raw_bitbucket_api_repositories.csv",
     [](const json& data, const json&) { return StatusOf(ParseCloudRepository(data)); }},
    {"CloudPullRequests", "bitbucket-cloud/_raw_bitbucket_api_pull_requests.csv",
     [](const json& data, const json&) { return StatusOf(ParseCloudPullRequest(data)); },
     kCloudPullRequestFields},
    {"CloudPullRequestCommits", "bitbucket-cloud/_raw_bitbucket_api_pull_request_commits.csv",
     [](const json& data, const json& input) {
       LEADLINE_ASSIGN_OR_RETURN(const std::int64_t number, ParentNumber(input));
       return StatusOf(ParseCloudPullRequestCommit(data, number));
     }},
    {"CloudPullRequestComments", "bitbucket-cloud/_raw_bitbucket_api_pullrequest_comments.csv",
     [](const json& data, const json&) { return StatusOf(ParseCloudPullRequestComment(data)); }},
    {"CloudPipelines", "bitbucket-cloud/_raw_bitbucket_api_pipelines.csv",
     [](const json& data, const json&) { return StatusOf(ParseCloudPipeline(data)); },
     kCloudPipelineFields},
    {"CloudDeployments", "bitbucket-cloud/_raw_bitbucket_api_deployments.csv",
     [](const json& data, const json&) { return StatusOf(ParseCloudDeployment(data)); },
     kCloudDeploymentFields},
    {"DcPullRequests", "bitbucket-dc/_raw_bitbucket_server_api_pull_requests.csv",
     [](const json& data, const json&) { return StatusOf(ParseDcPullRequest(data)); }},
    {"DcPullRequestCommits", "bitbucket-dc/_raw_bitbucket_server_api_pull_request_commits.csv",
     [](const json& data, const json& input) {
       LEADLINE_ASSIGN_OR_RETURN(const std::int64_t number, ParentNumber(input));
       return StatusOf(ParseDcPullRequestCommit(data, number));
     }},
};

// Entities Leadline does not model.
const std::set<std::string> kSkippedFiles = {
    "bitbucket-cloud/_raw_bitbucket_api_issues.csv",
    "bitbucket-cloud/_raw_bitbucket_api_issue_comments.csv",
    "bitbucket-cloud/_raw_bitbucket_api_pipeline_steps.csv",
};

class CapturedRows : public ::testing::TestWithParam<CapturedFile> {};

TEST_P(CapturedRows, EveryRowParses) {
  if (!std::filesystem::is_directory(kCapturedDir)) GTEST_SKIP() << kAbsent;
  const Result<std::vector<CapturedRow>> rows = ReadCaptured(GetParam().path);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_FALSE(rows->empty());
  for (const CapturedRow& row : *rows) {
    const Status status = GetParam().parse(row.data, row.input);
    EXPECT_TRUE(status.ok()) << GetParam().path << " row " << row.id << ": " << status.message();
    if (GetParam().fields == nullptr) continue;
    // What sync receives: the row without the fields its request leaves out.
    json page = {{"values", {row.data}}};
    leadline::testing::RemoveExcludedFields(page, GetParam().fields);
    const Status partial = GetParam().parse(page["values"][0], row.input);
    EXPECT_TRUE(partial.ok()) << GetParam().path << " row " << row.id
                              << " without the fields sync leaves out: " << partial.message();
  }
}

INSTANTIATE_TEST_SUITE_P(Bitbucket, CapturedRows, ::testing::ValuesIn(kParsedFiles),
                         [](const auto& test) { return std::string(test.param.name); });

TEST(Captured, EveryFileIsParsedOrDeliberatelySkipped) {
  if (!std::filesystem::is_directory(kCapturedDir)) GTEST_SKIP() << kAbsent;
  std::set<std::string> known = kSkippedFiles;
  for (const CapturedFile& file : kParsedFiles) known.insert(file.path);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kCapturedDir)) {
    if (entry.path().extension() != ".csv") continue;
    const std::string relative = entry.path().lexically_relative(kCapturedDir).generic_string();
    EXPECT_TRUE(known.count(relative)) << relative << " has no parser and is not skipped";
  }
}

TEST(Captured, MergedCloudPullRequestsKeepTwelveCharacterMergeCommits) {
  if (!std::filesystem::is_directory(kCapturedDir)) GTEST_SKIP() << kAbsent;
  const auto rows = ReadCaptured("bitbucket-cloud/_raw_bitbucket_api_pull_requests.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  int merged = 0;
  for (const CapturedRow& row : *rows) {
    const auto pr = ParseCloudPullRequest(row.data);
    ASSERT_TRUE(pr.ok()) << pr.status().message();
    if (pr->state != model::PullRequestState::kMerged) continue;
    ++merged;
    ASSERT_TRUE(pr->merge_commit.has_value()) << "row " << row.id;
    EXPECT_EQ(pr->merge_commit->size(), 12u) << "row " << row.id;
  }
  EXPECT_GT(merged, 0);
}

// Real pipelines stopped at a step: IN_PROGRESS with a HALTED stage, waiting for a person.
TEST(Captured, CloudPipelinesHaltedAtAStepArePaused) {
  if (!std::filesystem::is_directory(kCapturedDir)) GTEST_SKIP() << kAbsent;
  const auto rows = ReadCaptured("bitbucket-cloud/_raw_bitbucket_api_pipelines.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  int paused = 0;
  for (const CapturedRow& row : *rows) {
    const auto pipeline = ParseCloudPipeline(row.data);
    ASSERT_TRUE(pipeline.ok()) << pipeline.status().message();
    const bool halted = row.data["state"].value("name", "") == "IN_PROGRESS" &&
                        row.data["state"].contains("stage") &&
                        row.data["state"]["stage"].value("name", "") == "HALTED";
    if (halted) {
      ++paused;
      EXPECT_EQ(pipeline->state, model::PipelineState::kPaused) << "row " << row.id;
    }
  }
  EXPECT_EQ(paused, 3);
}

TEST(Captured, CloudDeploymentsUseEveryStateName) {
  if (!std::filesystem::is_directory(kCapturedDir)) GTEST_SKIP() << kAbsent;
  const auto rows = ReadCaptured("bitbucket-cloud/_raw_bitbucket_api_deployments.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  std::set<model::PlatformDeploymentState> states;
  for (const CapturedRow& row : *rows) {
    const auto deployment = ParseCloudDeployment(row.data);
    ASSERT_TRUE(deployment.ok()) << deployment.status().message();
    states.insert(deployment->state);
  }
  EXPECT_EQ(states.size(), 10u);  // COMPLETED, UNDEPLOYED, SUCCESSFUL, ..., UNKNOWN
}

}  // namespace
}  // namespace leadline::sources::bitbucket
