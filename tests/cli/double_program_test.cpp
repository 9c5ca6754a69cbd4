// The double as a program (leadline-bitbucket-double): it serves until it is stopped, says how to
// connect, and refuses bad flags.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "testing/git_script.h"

namespace {

using leadline::testing::RunCommand;

std::string DoubleProgram() {
  const char* dir = std::getenv("LEADLINE_BINARY_DIR");
  return std::string(dir ? dir : ".") + "/tests/leadline-bitbucket-double";
}

TEST(DoubleProgram, ServesUntilStoppedAndSaysHowToConnect) {
  leadline::testing::TempDir dir;
  const std::string out = dir.Child("out.txt");
  // Started in the background; asked for application-properties over bash's /dev/tcp; stopped
  // with SIGTERM.
  const std::string script =
      DoubleProgram() + " --repositories 2 --pull-requests 5 --context-path /bitbucket > " + out +
      " & pid=$!\n"
      "for i in $(seq 50); do grep -q 'Stop with' " +
      out +
      " && break; sleep 0.1; done\n"
      "port=$(grep -o '127.0.0.1:[0-9]*' " +
      out +
      " | head -1 | cut -d: -f2)\n"
      "exec 3<>/dev/tcp/127.0.0.1/$port\n"
      "printf 'GET /bitbucket/rest/api/1.0/application-properties HTTP/1.0\\r\\n\\r\\n' >&3\n"
      "cat <&3\n"
      "kill -TERM $pid; wait $pid; echo exit=$?\n"
      "cat " +
      out + "\n";
  const auto run = RunCommand("bash -c " + leadline::testing::ShellQuote(script) + " 2>&1");
  EXPECT_NE(run.output.find("\"displayName\":\"Bitbucket\""), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("exit=0"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("Bitbucket double: 2 repositories of 5 pull requests"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("--api-url http://127.0.0.1:"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("/bitbucket, HTTP access token: dc-http-token"), std::string::npos)
      << run.output;
}

TEST(DoubleProgram, BadFlagsAreRefused) {
  const auto run = RunCommand(DoubleProgram() + " --pull-requests many", true);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("usage: leadline-bitbucket-double"), std::string::npos) << run.output;
}

}  // namespace
