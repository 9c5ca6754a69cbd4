// The git history behind the double's generated workspace: a real bare repository, written with
// `git fast-import`, that every repository of the workspace serves over git's smart HTTP (their
// contents are the same). Pull request n's commit is authored 10 minutes before the pull request
// is opened, on `feature/n` from main's tip then; a merged pull request lands on main 30 minutes
// after it was opened, as a merge commit, or (every sixth) as a squash commit. Branches of open
// pull requests stay; the others are deleted on close, as `close_source_branch` asks. Pipelines
// and deployments name main's tip at their time. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cloud_workspace.h"

namespace leadline::testing {

class GitHistory {
 public:
  // A bare repository in a temporary folder, holding one commit a day before `start`.
  explicit GitHistory(std::int64_t start);
  ~GitHistory();
  GitHistory(const GitHistory&) = delete;
  GitHistory& operator=(const GitHistory&) = delete;

  // Adds the commits of pull requests up to `shape.pull_requests` (never removes any).
  void GrowTo(const CloudWorkspaceShape& shape);

  // The folder holding the bare repository, and its name inside it (for `git http-backend`).
  const std::string& root() const { return root_; }
  static constexpr const char* kRepositoryName = "history.git";

  // Full 40-digit hashes.
  std::string SourceCommit(int pull_request) const;
  std::string DestinationCommit(int pull_request) const;  // main's tip when it was opened
  std::string MergeCommit(int pull_request) const;        // empty unless merged
  std::string MainTipAt(std::int64_t at) const;
  // A merged pull request's commit: its parents (main's tip, then the source commit unless it was
  // squashed) and its message.
  std::vector<std::string> MergeParents(int pull_request) const;
  static std::string MergeMessage(const CloudWorkspaceShape& shape, int pull_request);

 private:
  struct PullRequestCommits {
    int source = 0;  // fast-import marks
    int destination = 0;
    int merge = 0;
  };
  std::string ShaOf(int mark) const;
  void Import(const std::string& stream);
  void ReadMarks();

  std::string root_;
  mutable std::mutex mutex_;
  std::vector<PullRequestCommits> pull_requests_;        // index: number - 1
  std::vector<std::pair<std::int64_t, int>> main_tips_;  // (since, mark), in time order
  std::vector<std::string> shas_;                        // index: mark
};

}  // namespace leadline::testing
