// The fixture of the end-to-end tests that run the real `leadline` binary against the local
// Bitbucket double: a temporary directory with token files and a store, and the double itself.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "bitbucket_double/bitbucket_double.h"
#include "common/time.h"
#include "testing/git_script.h"

namespace leadline::testing {

struct LeadlineRun {
  int exit_code = 0;
  std::string out;
  std::string err;
};

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class BitbucketCliTest : public ::testing::Test {
 protected:
  explicit BitbucketCliTest(BitbucketDoubleConfig config = DefaultConfig())
      : config_(std::move(config)), bitbucket_(config_) {
    std::ofstream(dir_.Child("api-token")) << config_.api_token << "\n";
    std::ofstream(dir_.Child("dc-token")) << config_.dc_token << "\n";
    std::ofstream(dir_.Child("wrong-token")) << "not-the-token\n";
  }

  // The command line of `leadline ARGS --db DB` (ARGS already quoted), with `env` prefixed.
  std::string CommandLine(const std::string& args, const std::string& env = "") const {
    return "env -u LEADLINE_SECRET_KEY " + env + " timeout 120 " + LeadlineBinary() + " " + args +
           " --db " + ShellQuote(db());
  }
  LeadlineRun Leadline(const std::string& args, const std::string& env = "") const {
    const std::string err = dir_.Child("stderr.txt");
    const auto run = RunCommand(CommandLine(args, env) + " 2>" + ShellQuote(err));
    return {run.exit_code, run.output, ReadWholeFile(err)};
  }
  std::string ConnectCloud(const std::string& token_file = "api-token") const {
    return "connect bitbucket-cloud --workspace acme --api-url " +
           ShellQuote(bitbucket_.cloud_api_url()) + " --email dev@example.com --token-file " +
           ShellQuote(dir_.Child(token_file));
  }
  std::string ConnectDataCenter() const {
    return "connect bitbucket-dc --url " + ShellQuote(bitbucket_.dc_url()) + " --token-file " +
           ShellQuote(dir_.Child("dc-token"));
  }
  // Connects with `connect`, lists the repositories and selects `location`.
  void ConnectAndSelect(const std::string& connect, const std::string& location) const {
    ASSERT_EQ(Leadline(connect).exit_code, 0);
    ASSERT_EQ(Leadline("repos list").exit_code, 0);
    ASSERT_EQ(Leadline("repos select " + location).exit_code, 0);
  }
  std::string db() const { return dir_.Child("leadline.db"); }

  static BitbucketDoubleConfig DefaultConfig() {
    BitbucketDoubleConfig config;
    config.pull_requests_per_repo = 60;
    config.pipelines_per_repo = 4;
    config.deployments_per_repo = 3;
    // Recent enough for sync's default 90-day window.
    config.history_start = common::NowUnixSeconds() - 30 * common::kDay;
    return config;
  }

  TempDir dir_;
  BitbucketDoubleConfig config_;
  BitbucketDouble bitbucket_;
};

}  // namespace leadline::testing
