#include "sources/deploy_log/deploy_log.h"

#include <gtest/gtest.h>

namespace leadline::sources {
namespace {

TEST(DeployLog, ParsesEntriesCommentsAndStatuses) {
  const auto entries = ParseDeployLog(
      "# production deploys\n"
      "\n"
      "0123456789abcdef0123456789abcdef01234567 2024-05-01T12:00:00Z\n"
      "ABCDEF1 2024-05-02T12:00:00+02:00 failure\r\n"
      "  abcdef1   2024-05-02T13:00:00Z   success  \n",
      "deploys.txt");
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].sha, "0123456789abcdef0123456789abcdef01234567");
  EXPECT_EQ((*entries)[0].finished_at, 1714564800);
  EXPECT_TRUE((*entries)[0].success);
  EXPECT_EQ((*entries)[0].line, 3);
  EXPECT_EQ((*entries)[1].sha, "abcdef1");  // lowercased
  EXPECT_EQ((*entries)[1].finished_at, 1714644000);
  EXPECT_FALSE((*entries)[1].success);
  EXPECT_TRUE((*entries)[2].success);
  EXPECT_EQ((*entries)[2].line, 5);
}

TEST(DeployLog, EmptyLogHasNoEntries) {
  EXPECT_TRUE(ParseDeployLog("", "x")->empty());
  EXPECT_TRUE(ParseDeployLog("# nothing yet\n", "x")->empty());
}

struct BadLine {
  const char* text;
  const char* why;
};

TEST(DeployLog, BadLinesNameTheFileAndLine) {
  const BadLine cases[] = {
      {"abcdef1\n", "wrong number of fields"},
      {"abcdef1 2024-05-01T12:00:00Z success extra\n", "wrong number of fields"},
      {"abc 2024-05-01T12:00:00Z\n", "not a commit id"},
      {"zzzzzzz 2024-05-01T12:00:00Z\n", "not a commit id"},
      {"abcdef1 yesterday\n", "not an RFC 3339 time"},
      {"abcdef1 2024-05-01T12:00:00Z maybe\n", "unknown status 'maybe'"},
  };
  for (const BadLine& bad : cases) {
    const std::string text = std::string("# header\n") + bad.text;
    auto parsed = ParseDeployLog(text, "deploys.txt");
    ASSERT_FALSE(parsed.ok()) << bad.text;
    const std::string& message = parsed.status().message();
    EXPECT_NE(message.find("deploy log 'deploys.txt' line 2"), std::string::npos) << message;
    EXPECT_NE(message.find(bad.why), std::string::npos) << message;
  }
}

TEST(DeployLog, MissingFileIsNotFound) {
  auto parsed = ReadDeployLogFile("/nonexistent/deploys.txt");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), common::StatusCode::kNotFound);
  EXPECT_NE(parsed.status().message().find("/nonexistent/deploys.txt"), std::string::npos);
}

}  // namespace
}  // namespace leadline::sources
