// Test support: a temporary folder that deletes itself, and GitScript, which builds small git
// repositories with the real git command line and fixed dates, so that tests can assert exact
// times and counts. Tests only; not thread-safe.
#pragma once

#include <string>
#include <vector>

namespace leadline::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Child(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Runs `command` with /bin/sh; returns its exit code and stdout (stderr is captured too when
// `capture_stderr`).
struct CommandResult {
  int exit_code = 0;
  std::string output;
};
CommandResult RunCommand(const std::string& command, bool capture_stderr = false);

// Single-quotes `text` for /bin/sh.
std::string ShellQuote(const std::string& text);

// The leadline binary built beside the tests (from LEADLINE_BINARY_DIR, set by ctest).
std::string LeadlineBinary();

class GitScript {
 public:
  // Creates a repository with branch `main` at `path`. Times are RFC 3339 strings.
  explicit GitScript(std::string path);

  // Commits a change to a file named after the message; returns the new commit's sha.
  std::string Commit(const std::string& message, const std::string& time,
                     const std::string& author_time = "");
  std::string Branch(const std::string& name, const std::string& start = "HEAD");
  void Checkout(const std::string& name);
  // `git merge --no-ff` with the given message; returns the merge commit.
  std::string Merge(const std::string& branch, const std::string& time,
                    const std::string& message = "");
  // `git revert` of `sha` (git's default message); returns the revert commit.
  std::string Revert(const std::string& sha, const std::string& time);
  // Annotated tag when `time` is given, lightweight otherwise.
  void Tag(const std::string& name, const std::string& target, const std::string& time = "");
  std::string Sha(const std::string& rev);
  // Runs `git <args>` in the repository with the dates set; fails the test on error.
  std::string Git(const std::string& args, const std::string& time = "");

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int counter_ = 0;
};

}  // namespace leadline::testing
