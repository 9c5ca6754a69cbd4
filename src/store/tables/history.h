// A repository's history as the engine reads it: its commits, its refs, its deployments and
// which commits each deployment changed. Reached through Store::history(), on the store's
// connection; used from one thread at a time, like the Store. Outside a transaction each call
// commits at once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "model/deployment.h"
#include "model/repository.h"

namespace leadline::store {

// A commit as the engine needs it, streamed without copying strings: the views are valid only
// during the callback.
struct CommitView {
  std::string_view sha;
  std::string_view parent_shas;  // space-separated, first parent first
  common::UnixSeconds author_time = 0;
  common::UnixSeconds committer_time = 0;
  std::string_view message;
  std::string_view author_email;
};

class History {
 public:
  virtual ~History() = default;

  virtual common::Result<std::int64_t> CountCommits(std::int64_t repo_id) = 0;
  // Inserts commits that are not stored yet (by sha); returns how many were new.
  virtual common::Result<std::int64_t> InsertCommits(std::int64_t repo_id,
                                                     const std::vector<model::Commit>& commits) = 0;
  // What names the repository's stored history as it is now: it changes with every insert of
  // commits, so equal versions mean the same commits (a key for caches of what is built from
  // them). Empty for a history no insert has versioned yet.
  virtual common::Result<std::string> LoadHistoryVersion(std::int64_t repo_id) = 0;
  virtual common::Result<std::vector<std::string>> LoadCommitShas(std::int64_t repo_id) = 0;
  virtual common::Status ForEachCommit(std::int64_t repo_id,
                                       const std::function<void(const CommitView&)>& visit) = 0;

  virtual common::Result<std::vector<model::Ref>> LoadRefs(std::int64_t repo_id) = 0;
  // Replaces the repository's refs with `refs`.
  virtual common::Status ReplaceRefs(std::int64_t repo_id, const std::vector<model::Ref>& refs) = 0;

  // Loads deployments ordered by (finished_at, ref, id).
  virtual common::Result<std::vector<model::Deployment>> LoadDeployments(std::int64_t repo_id) = 0;
  // Makes the stored deployments equal to `deployments` (matched by natural key, so ids of kept
  // deployments stay stable; deployments no longer present are deleted with their changes).
  // Returns true when anything changed.
  virtual common::Result<bool> ReplaceDeployments(
      std::int64_t repo_id, const std::vector<model::Deployment>& deployments) = 0;

  // Replaces every deployment change of the repository, and records `basis`: a description of
  // the options they were computed with (e.g. the first deployment's lookback).
  virtual common::Status ReplaceDeploymentChanges(
      std::int64_t repo_id, const std::vector<model::DeploymentChange>& changes,
      const std::string& basis) = 0;
  // The basis of the stored deployment changes; empty when none were stored.
  virtual common::Result<std::string> DeploymentChangesBasis(std::int64_t repo_id) = 0;
};

}  // namespace leadline::store
