#include "ingest/deployment_sources.h"

#include <gtest/gtest.h>

namespace leadline::ingest {
namespace {

using model::Ref;
using model::RefKind;

std::vector<Ref> SampleRefs() {
  return {{"main", RefKind::kBranch, std::string(40, 'a'), std::nullopt},
          {"1.0", RefKind::kTag, std::string(40, '1'), std::nullopt},
          {"v2.0.1", RefKind::kTag, std::string(40, '2'), 5000},
          {"v3-rc1", RefKind::kTag, std::string(40, '3'), 6000},
          {"nightly", RefKind::kTag, std::string(40, '4'), 7000}};
}

common::Result<common::UnixSeconds> FakeCommitTime(const std::string& sha) {
  if (sha == std::string(40, '1')) return common::UnixSeconds{1000};
  return common::Status::NotFound("unexpected lookup of " + sha);
}

TEST(DeploymentsFromTags, DefaultPatternTakesVersionTagsDatedByTagOrCommit) {
  auto deployments = DeploymentsFromTags(SampleRefs(), kDefaultDeployTagPattern, FakeCommitTime);
  ASSERT_TRUE(deployments.ok()) << deployments.status().message();
  ASSERT_EQ(deployments->size(), 2u);  // 1.0 and v2.0.1; not v3-rc1, nightly or branches
  const model::Deployment& lightweight = (*deployments)[0];
  EXPECT_EQ(lightweight.ref, "1.0");
  EXPECT_EQ(lightweight.natural_key, "tag:1.0");
  EXPECT_EQ(lightweight.source, "tag");
  EXPECT_EQ(lightweight.finished_at, 1000);  // the commit's committer time
  const model::Deployment& annotated = (*deployments)[1];
  EXPECT_EQ(annotated.ref, "v2.0.1");
  EXPECT_EQ(annotated.sha, std::string(40, '2'));
  EXPECT_EQ(annotated.finished_at, 5000);  // the tagger's time
  EXPECT_EQ(annotated.status, model::DeploymentStatus::kSuccess);
}

TEST(DeploymentsFromTags, CustomPatternIsASearchUnlessAnchored) {
  auto rc = DeploymentsFromTags(SampleRefs(), "-rc[0-9]+$", FakeCommitTime);
  ASSERT_TRUE(rc.ok());
  ASSERT_EQ(rc->size(), 1u);
  EXPECT_EQ((*rc)[0].ref, "v3-rc1");
}

TEST(DeploymentsFromTags, NoMatchListsTheTagsThatExist) {
  auto none = DeploymentsFromTags(SampleRefs(), "^release-", FakeCommitTime);
  ASSERT_FALSE(none.ok());
  const std::string& message = none.status().message();
  EXPECT_NE(message.find("no tag matches --deploy-tags '^release-'"), std::string::npos);
  EXPECT_NE(message.find("1.0, v2.0.1, v3-rc1, nightly"), std::string::npos) << message;
}

TEST(DeploymentsFromTags, ManyTagsAreListedShortly) {
  std::vector<Ref> refs;
  for (int i = 0; i < 25; ++i)
    refs.push_back({"t" + std::to_string(i), RefKind::kTag, std::string(40, 'a'), 1});
  auto none = DeploymentsFromTags(refs, "^v", FakeCommitTime);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("(25 in all)"), std::string::npos);
}

TEST(DeploymentsFromTags, NoTagsAtAllSuggestsTheDeployLog) {
  auto none = DeploymentsFromTags({{"main", RefKind::kBranch, std::string(40, 'a'), {}}},
                                  kDefaultDeployTagPattern, FakeCommitTime);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("no tags"), std::string::npos);
  EXPECT_NE(none.status().message().find("--deploy-log"), std::string::npos);
}

TEST(DeploymentsFromTags, InvalidRegexIsExplained) {
  auto bad = DeploymentsFromTags(SampleRefs(), "(", FakeCommitTime);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), common::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("not a valid regular expression"), std::string::npos);
  EXPECT_NE(bad.status().message().find("missing )"), std::string::npos) << bad.status().message();
}

TEST(DeploymentsFromLog, KeysByCommitAndTimeAndDropsExactRepeats) {
  std::vector<sources::DeployLogEntry> log = {
      {"abcdef1", 100, true, 1}, {"abcdef1", 100, true, 2}, {"abcdef1", 200, false, 3}};
  const std::string full = "abcdef1" + std::string(33, '0');
  auto deployments = DeploymentsFromLog(log, {full, full, full});
  ASSERT_EQ(deployments.size(), 2u);
  EXPECT_EQ(deployments[0].natural_key, "log:" + full + "@100");
  EXPECT_EQ(deployments[0].source, "deploy-log");
  EXPECT_EQ(deployments[1].status, model::DeploymentStatus::kFailure);
  EXPECT_TRUE(deployments[0].ref.empty());
}

}  // namespace
}  // namespace leadline::ingest
