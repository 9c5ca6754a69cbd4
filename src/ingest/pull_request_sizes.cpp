#include "ingest/pull_request_sizes.h"

#include <filesystem>
#include <utility>
#include <vector>

#include "git/git_repository.h"

namespace leadline::ingest {

common::Result<std::size_t> SizeMergedPullRequests(store::Store& store, std::int64_t repo_id,
                                                   const std::string& mirror_path) {
  std::error_code ec;
  if (mirror_path.empty() || !std::filesystem::exists(mirror_path, ec)) return std::size_t{0};
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequest> pull_requests,
                            store.pull_requests().LoadPullRequests(repo_id));
  std::vector<const model::PullRequest*> unsized;
  for (const model::PullRequest& pr : pull_requests) {
    if (pr.state == model::PullRequestState::kMerged && pr.merge_commit && !pr.size) {
      unsized.push_back(&pr);
    }
  }
  if (unsized.empty()) return std::size_t{0};
  LEADLINE_ASSIGN_OR_RETURN(const git::GitRepository mirror, git::GitRepository::Open(mirror_path));
  std::vector<std::pair<std::int64_t, model::DiffStats>> sizes;
  for (const model::PullRequest* pr : unsized) {
    common::Result<model::DiffStats> size = mirror.FirstParentDiff(*pr->merge_commit);
    if (size.ok()) {
      sizes.emplace_back(pr->number, *size);
    } else if (size.status().code() != common::StatusCode::kNotFound) {
      return size.status();
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
  LEADLINE_RETURN_IF_ERROR(store.pull_requests().SetPullRequestSizes(repo_id, sizes));
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return sizes.size();
}

}  // namespace leadline::ingest
