#include "ingest/branch_commits.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "common/parallel_for.h"
#include "common/text.h"
#include "git/git_repository.h"
#include "http/pager.h"

namespace leadline::ingest {
namespace {

using common::Status;

constexpr std::size_t kInFlight = 4;  // requests at a time (the client is thread-safe)
constexpr std::size_t kBatch = 16;    // pull requests stored per transaction
constexpr int kMaxPages = 10;  // 1,000 commits: a pull request's first commit is on the last page

// Merged pull requests whose own commits the mirror lacks, newest merge first.
common::Result<std::vector<model::PullRequest>> Unread(const SyncTarget& target) {
  std::vector<model::PullRequest> out;
  std::error_code error;
  if (target.mirror_path.empty() || !std::filesystem::exists(target.mirror_path, error)) {
    return out;
  }
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::PullRequest> pull_requests,
                            target.store.pull_requests().LoadPullRequests(target.repository.id));
  LEADLINE_ASSIGN_OR_RETURN(const git::GitRepository mirror,
                            git::GitRepository::Open(target.mirror_path));
  const auto in_mirror = [&mirror](const std::string& hex) {
    return mirror.ResolveCommit(hex).ok();
  };
  for (model::PullRequest& pr : pull_requests) {
    // A merge commit the mirror lacks is a mirror behind the host: a later sync decides.
    if (pr.state != model::PullRequestState::kMerged || pr.branch_commits || !pr.merge_commit ||
        pr.source_commit.empty() || !in_mirror(*pr.merge_commit) || in_mirror(pr.source_commit)) {
      continue;
    }
    out.push_back(std::move(pr));
  }
  const auto merged_at = [](const model::PullRequest& pr) {
    return pr.closed_at.value_or(pr.updated_at);
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const model::PullRequest& a, const model::PullRequest& b) {
                     return merged_at(a) > merged_at(b);
                   });
  return out;
}

// What the host lists of one pull request's commits; a count of 0 when it lists none.
common::Result<model::BranchCommits> ReadOne(const SyncTarget& target,
                                             const sources::CommitListing& listing,
                                             SyncCounts& counts) {
  model::BranchCommits out;
  std::map<std::string, int> by_email;
  std::set<std::string> fetched;  // a `next` among them (links that loop) ends the listing
  std::optional<http::HttpRequest> request = listing.first;
  Status read = Status::Ok();
  for (int pages = 0; request && pages < kMaxPages && fetched.insert(request->url).second;
       ++pages) {
    request->credentials = target.settings.Credentials();
    auto response = target.client.Send(*request);
    if (!response.ok()) {
      read = response.status();
      break;
    }
    if (!response->ok()) {
      read = http::HttpError(*response, request->url);
      break;
    }
    ++counts.pages;
    auto page = listing.read(*response, request->url);
    if (!page.ok()) return page.status();
    for (const model::PullRequestCommit& commit : page->commits) {
      if (out.count == 0 || commit.author_time < out.first_authored_at) {
        out.first_authored_at = commit.author_time;
      }
      ++out.count;
      if (!commit.author.email.empty()) ++by_email[common::AsciiLower(commit.author.email)];
    }
    request = std::move(page->next);
  }
  // A fork deleted since: its commits are gone with it.
  if (!read.ok() && read.code() != common::StatusCode::kNotFound) return read;
  if (!read.ok()) ++counts.pages;
  int most = 0;
  for (const auto& [email, count] : by_email) {
    if (count > most) {
      most = count;
      out.author_email = email;
    }
  }
  if (out.count == 0) out = {};
  return out;
}

}  // namespace

common::Result<SyncCounts> ReadSquashedBranchCommits(const SyncTarget& target,
                                                     const sources::Connector& connector) {
  SyncCounts counts;
  // An upstream that lists no pull request's commits: nothing to ask.
  if (!connector.PullRequestCommits(target.settings, target.repository, 0)) return counts;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::PullRequest> unread, Unread(target));
  const std::size_t wanted = std::min(unread.size(), kMaxPullRequestsPerSync);
  std::size_t empty_in_a_row = 0;
  for (std::size_t done = 0; done < wanted && empty_in_a_row < kEmptyAnswersToStop;) {
    // A batch asked for a few at a time, then stored in one transaction; never more than the
    // empty answers still allowed, so that the stop comes exactly where it should.
    const std::size_t batch =
        std::min({kBatch, wanted - done, kEmptyAnswersToStop - empty_in_a_row});
    std::vector<std::optional<common::Result<model::BranchCommits>>> read(batch);
    std::vector<SyncCounts> requests(batch);
    common::ParallelFor(batch, kInFlight, [&](std::size_t i) {
      const std::optional<sources::CommitListing> listing =
          connector.PullRequestCommits(target.settings, target.repository, unread[done + i].number);
      read[i] = ReadOne(target, *listing, requests[i]);
      return read[i]->ok();
    });

    // The answers up to the first failure are stored: a retried sync does not ask for them again.
    std::vector<std::pair<std::int64_t, model::BranchCommits>> rows;
    common::Status failed = common::Status::Ok();
    for (std::size_t i = 0; i < batch; ++i) {
      const std::int64_t number = unread[done + i].number;
      counts.pages += requests[i].pages;
      if (!read[i]->ok()) {
        failed =
            read[i]->status().WithContext("commits of pull request #" + std::to_string(number) +
                                          " of " + target.repository.location);
        break;
      }
      const model::BranchCommits& listed = read[i]->value();
      rows.emplace_back(number, listed);
      counts.changed += listed.count > 0 ? 1 : 0;
      empty_in_a_row = listed.count > 0 ? 0 : empty_in_a_row + 1;
    }
    LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, target.store.Begin());
    LEADLINE_RETURN_IF_ERROR(
        target.store.pull_requests().SetPullRequestBranchCommits(target.repository.id, rows));
    LEADLINE_RETURN_IF_ERROR(transaction.Commit());
    LEADLINE_RETURN_IF_ERROR(failed);
    done += batch;
    counts.received += static_cast<std::int64_t>(batch);
    if (target.on_page) target.on_page(counts);
  }
  return counts;
}

}  // namespace leadline::ingest
