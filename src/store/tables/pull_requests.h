// A repository's pull requests as the code host reports them, with what is read about each one
// later (the size of a merged one, the commits its branch held) and their activity (reviews,
// approvals, comments). Reached through Store::pull_requests(), on the store's connection; used
// from one thread at a time, like the Store. Outside a transaction each call commits at once.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "common/status.h"
#include "model/pull_request.h"

namespace leadline::store {

class PullRequests {
 public:
  virtual ~PullRequests() = default;

  // Inserts or updates pull requests by (repository, number); returns how many rows were new or
  // different (an unchanged pull request written again counts 0).
  virtual common::Result<std::int64_t> UpsertPullRequests(
      std::int64_t repo_id, const std::vector<model::PullRequest>& prs) = 0;
  virtual common::Result<std::vector<model::PullRequest>> LoadPullRequests(
      std::int64_t repo_id) = 0;
  // Records merged pull requests' sizes (by number); upserting a pull request keeps its size.
  virtual common::Status SetPullRequestSizes(
      std::int64_t repo_id,
      const std::vector<std::pair<std::int64_t, model::DiffStats>>& sizes) = 0;
  // Records what the host lists of merged pull requests' own commits (by number); upserting a
  // pull request keeps them.
  virtual common::Status SetPullRequestBranchCommits(
      std::int64_t repo_id,
      const std::vector<std::pair<std::int64_t, model::BranchCommits>>& commits) = 0;
  // Inserts activity entries not stored yet (by pull request, time, kind and actor); returns how
  // many were new.
  virtual common::Result<std::int64_t> InsertPullRequestActivity(
      std::int64_t repo_id, const std::vector<model::PullRequestActivity>& activity) = 0;
  // Ordered by pull request, then time.
  virtual common::Result<std::vector<model::PullRequestActivity>> LoadPullRequestActivity(
      std::int64_t repo_id) = 0;
};

}  // namespace leadline::store
