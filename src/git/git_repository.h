// GitRepository: read access to a local git repository through libgit2: its refs (branches and
// tags, peeled to commits) and its commits. Opening checks what a report needs and says what is
// wrong otherwise (not a repository, no commits, a shallow clone).
// One instance per thread; the object owns its libgit2 handles.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/repository.h"

namespace leadline::git {

using common::Result;
using common::Status;

class GitRepository {
 public:
  // `path` is a work tree's top folder, a .git folder or a bare repository; parent folders are not
  // searched.
  static Result<GitRepository> Open(const std::string& path);
  ~GitRepository();
  GitRepository(GitRepository&& other) noexcept;
  GitRepository& operator=(GitRepository&& other) noexcept;
  GitRepository(const GitRepository&) = delete;
  GitRepository& operator=(const GitRepository&) = delete;

  // The canonical absolute path of the repository's git folder's owner (the work tree for normal
  // repositories): the identity used in the store.
  const std::string& location() const { return location_; }
  // A short display name: the work tree's folder name.
  std::string name() const;
  // HEAD's branch, or "main"/"master" when HEAD is detached; empty when there is neither.
  std::string DefaultBranch() const;

  // Local branches (refs/heads) and tags (refs/tags) that point at commits, sorted by kind and
  // name. Tags of trees or blobs are skipped, and so are other refs (a mirror's
  // refs/pull-requests/*, say): they are not branches.
  Result<std::vector<model::Ref>> ReadRefs() const;

  // The commits that refs matching `glob` (e.g. "refs/pull-requests/*/from") point at, sorted,
  // each once. Refs of other objects are skipped.
  Result<std::vector<std::string>> ReadRefCommits(const std::string& glob) const;

  // Resolves a full or abbreviated hex id to a commit's full id; NotFound otherwise.
  Result<std::string> ResolveCommit(const std::string& hex) const;
  Result<common::UnixSeconds> CommitterTime(const std::string& sha) const;

  // What the commit `hex` (full or abbreviated) changed against its first parent: for a merge,
  // everything its branch brought in; for a squash, the squashed changes. A root commit is
  // compared with the empty tree. Binary files count as changed files without lines.
  Result<model::DiffStats> FirstParentDiff(const std::string& hex) const;

  // Calls `visit` once for every commit reachable from `tips` without passing through a commit
  // for which `known(sha)` is true (the caller's stored history: its ancestors are stored too).
  // Order is unspecified. Each commit object is read once. Diff statistics are not computed (they
  // need tree diffs, far more costly than the walk). The commits are read on a second thread,
  // which calls `known`, while `visit` runs on the caller's: neither may use this object, and
  // `known` must be safe to call while `visit` runs. A failing `visit` stops the walk.
  Status ReadCommits(const std::vector<std::string>& tips,
                     const std::function<bool(const std::string& sha)>& known,
                     const std::function<Status(model::Commit&&)>& visit) const;

 private:
  // ReadCommits' walk, on the thread that calls it.
  Status WalkCommits(const std::vector<std::string>& tips,
                     const std::function<bool(const std::string& sha)>& known,
                     const std::function<Status(model::Commit&&)>& visit) const;

  struct Handle;
  explicit GitRepository(std::unique_ptr<Handle> handle, std::string location);
  std::unique_ptr<Handle> handle_;
  std::string location_;
};

}  // namespace leadline::git
