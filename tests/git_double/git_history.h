// The git history behind a double's generated repositories: a real bare repository, written with
// `git fast-import`, that a double's repositories serve over git's smart HTTP (one for all, or
// one each). Change n (a pull or merge request) is one commit on its branch from
// main's tip then; it lands on main as a merge commit, a squash commit or by fast-forwarding main
// to it, or does not land. Branches of open changes stay; the others are deleted on close. Every
// change's source commit also stays under `refs/pull-requests/<n>/from`, as Bitbucket Data
// Center keeps it after merge and decline; servers of hosts without such refs hide them
// (kHidePullRequestRefs).
// Pipelines and deployments name main's tip at their time. Which change lands how, and when, is
// the double's plan (see GrowTo). Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace leadline::testing {

// Who writes a commit (and opens the change that carries it).
struct Person {
  int account = 1;
  std::string name;
  std::string nickname;
  std::string email;
};

// How a change ends up in the history.
enum class Landing { kOpen, kClosed, kMergeCommit, kSquash, kFastForward };

// One change as the history needs it. Changes come in number order, each committed after the
// previous one landed.
struct HistoryChange {
  Landing landing = Landing::kOpen;
  std::int64_t committed = 0;  // its commit, on main's tip then
  std::int64_t landed = 0;     // when it lands on main (merges, squashes, fast-forwards)
  std::string branch;          // kept while open: refs/heads/<branch>
  Person author;
  std::string message;          // of its commit
  std::string landing_message;  // of its merge or squash commit
};

class GitHistory {
 public:
  // A bare repository in a temporary folder, holding one commit a day before `start`.
  explicit GitHistory(std::int64_t start);
  ~GitHistory();
  GitHistory(const GitHistory&) = delete;
  GitHistory& operator=(const GitHistory&) = delete;

  // Adds changes size()+1 .. count, each as `plan(number)` describes it (never removes any).
  void GrowTo(int count, const std::function<HistoryChange(int number)>& plan);
  int size() const;

  // The folder holding the bare repository, and its name inside it (for `git http-backend`).
  const std::string& root() const { return root_; }
  static constexpr const char* kRepositoryName = "history.git";
  // The environment that makes `git http-backend` keep refs/pull-requests/* out of its answers,
  // for ServeGitBackend's `extra_env`.
  static std::vector<std::string> HidePullRequestRefs();

  // Full 40-digit hashes.
  std::string SourceCommit(int change) const;
  std::string DestinationCommit(int change) const;  // main's tip when it was committed
  // The commit that put the change on main: its merge or squash commit, or its own commit when
  // main was fast-forwarded to it; empty unless it landed.
  std::string MergeCommit(int change) const;
  std::string MainTipAt(std::int64_t at) const;
  // The parents of MergeCommit: main's tip, then the source commit for a merge commit.
  std::vector<std::string> MergeParents(int change) const;

 private:
  struct ChangeCommits {
    Landing landing = Landing::kOpen;
    int source = 0;  // fast-import marks
    int destination = 0;
    int merge = 0;  // for a fast-forward, the source
  };
  std::string ShaOf(int mark) const;
  const ChangeCommits& Commits(int change) const;
  void Import(const std::string& stream);
  void ReadMarks();

  std::string root_;
  mutable std::mutex mutex_;
  std::vector<ChangeCommits> changes_;                   // index: number - 1
  std::vector<std::pair<std::int64_t, int>> main_tips_;  // (since, mark), in time order
  std::vector<std::string> shas_;                        // index: mark
};

}  // namespace leadline::testing
