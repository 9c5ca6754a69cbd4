#include "testing/git_script.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace leadline::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "leadline-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult RunCommand(const std::string& command, bool capture_stderr) {
  const std::string full = command + (capture_stderr ? " 2>&1" : "");
  CommandResult result;
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return {127, ""};
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return result;
}

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string LeadlineBinary() {
  const char* dir = std::getenv("LEADLINE_BINARY_DIR");
  return std::string(dir ? dir : ".") + "/src/cli/leadline";
}

GitScript::GitScript(std::string path) : path_(std::move(path)) {
  std::filesystem::create_directories(path_);
  Git("init -q -b main");
  Git("config user.name 'Ada Lovelace'");
  Git("config user.email ada@example.com");
  Git("config commit.gpgsign false");
}

std::string GitScript::Git(const std::string& args, const std::string& time) {
  std::string env;
  if (!time.empty()) {
    env = "GIT_AUTHOR_DATE=" + ShellQuote(time) + " GIT_COMMITTER_DATE=" + ShellQuote(time) + " ";
  }
  const CommandResult result =
      RunCommand(env + "git -C " + ShellQuote(path_) + " " + args, /*capture_stderr=*/true);
  EXPECT_EQ(result.exit_code, 0) << "git " << args << "\n" << result.output;
  std::string out = result.output;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string GitScript::Commit(const std::string& message, const std::string& time,
                              const std::string& author_time) {
  const std::string file = path_ + "/file" + std::to_string(++counter_) + ".txt";
  std::ofstream(file) << message << "\n";
  Git("add -A");
  std::string env = "GIT_AUTHOR_DATE=" + ShellQuote(author_time.empty() ? time : author_time) +
                    " GIT_COMMITTER_DATE=" + ShellQuote(time) + " ";
  const CommandResult result = RunCommand(
      env + "git -C " + ShellQuote(path_) + " commit -q -m " + ShellQuote(message), true);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  return Sha("HEAD");
}

std::string GitScript::Branch(const std::string& name, const std::string& start) {
  Git("branch " + ShellQuote(name) + " " + ShellQuote(start));
  return Sha(name);
}

void GitScript::Checkout(const std::string& name) { Git("checkout -q " + ShellQuote(name)); }

std::string GitScript::Merge(const std::string& branch, const std::string& time,
                             const std::string& message) {
  const std::string m = message.empty() ? "Merge branch '" + branch + "'" : message;
  Git("merge -q --no-ff -m " + ShellQuote(m) + " " + ShellQuote(branch), time);
  return Sha("HEAD");
}

std::string GitScript::Revert(const std::string& sha, const std::string& time) {
  Git("revert --no-edit " + sha, time);
  return Sha("HEAD");
}

void GitScript::Tag(const std::string& name, const std::string& target, const std::string& time) {
  if (time.empty()) {
    Git("tag " + ShellQuote(name) + " " + ShellQuote(target));
  } else {
    Git("tag -a -m " + ShellQuote("Release " + name) + " " + ShellQuote(name) + " " +
            ShellQuote(target),
        time);
  }
}

std::string GitScript::Sha(const std::string& rev) {
  return Git("rev-parse " + ShellQuote(rev + "^{commit}"));
}

}  // namespace leadline::testing
