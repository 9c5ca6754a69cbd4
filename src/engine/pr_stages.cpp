#include "engine/pr_stages.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "common/text.h"

namespace leadline::engine {
namespace {

// end - start, 0 when the clocks disagree; empty while the end has not happened.
std::optional<common::Seconds> Stage(std::optional<common::UnixSeconds> start,
                                     std::optional<common::UnixSeconds> end) {
  if (!start || !end) return std::nullopt;
  return std::max<common::Seconds>(0, *end - *start);
}

bool IsReview(const model::PullRequestActivity& entry) {
  return entry.kind != model::PullRequestActivityKind::kUpdate;
}

CommitIndex Find(const CommitGraph& graph, const std::string& sha) {
  return sha.empty() ? kNoCommit : graph.FindByPrefix(sha);
}

// The PR's own commits, ancestors(include) \ ancestors(exclude): see the header. `unknown` says
// why when there is no range.
struct CommitRange {
  CommitIndex include = kNoCommit;
  CommitIndex exclude = kNoCommit;
  CommitsUnknown unknown = CommitsUnknown::kNo;
};

CommitRange RangeOf(const CommitGraph& graph, const model::PullRequest& pr, CommitIndex merge) {
  const auto parents = graph.parents(merge);
  if (parents.size() >= 2) return {parents[1], parents[0]};
  const CommitIndex source = Find(graph, pr.source_commit);
  if (source == merge) {
    // Fast-forward (or rebased, the host naming the rebased tip): the merge is the branch's last
    // commit, and only the target before the merge tells where the branch began.
    const CommitIndex target = Find(graph, pr.target_commit);
    // A target at or after the merge (children have larger indices) is not the one before it.
    if (target == kNoCommit || target >= merge) return {.unknown = CommitsUnknown::kTargetNotRead};
    return {merge, target};
  }
  if (source == kNoCommit || parents.empty()) return {.unknown = CommitsUnknown::kBranchNotSeen};
  return {source, parents[0]};
}

using EmailCounts = std::vector<std::pair<std::uint32_t, std::size_t>>;

void CountEmail(const Snapshot& snapshot, CommitIndex c, EmailCounts& counts) {
  const std::uint32_t email =
      snapshot.author_email_of.empty() ? kNoEmail : snapshot.author_email_of[c];
  if (email == kNoEmail) return;
  for (auto& [known, count] : counts) {
    if (known == email) {
      ++count;
      return;
    }
  }
  counts.emplace_back(email, 1);
}

// The position of `email` (any case) among the snapshot's author e-mails; kNoEmail if absent.
// The index is built on first use: most histories never need it.
class EmailIndex {
 public:
  explicit EmailIndex(const Snapshot& snapshot) : snapshot_(snapshot) {}
  std::uint32_t Find(const std::string& email) {
    if (email.empty()) return kNoEmail;
    if (positions_.empty()) {
      for (std::uint32_t i = 0; i < snapshot_.author_emails.size(); ++i) {
        positions_.emplace(snapshot_.author_emails[i], i);
      }
    }
    const auto found = positions_.find(common::AsciiLower(email));
    return found == positions_.end() ? kNoEmail : found->second;
  }

 private:
  const Snapshot& snapshot_;
  std::unordered_map<std::string, std::uint32_t> positions_;
};

// The e-mail with the most commits; the first seen (the newest commit's) on a tie.
std::uint32_t MostFrequent(const EmailCounts& counts) {
  std::uint32_t best = kNoEmail;
  std::size_t best_count = 0;
  for (const auto& [email, count] : counts) {
    if (count > best_count) {
      best = email;
      best_count = count;
    }
  }
  return best;
}
}  // namespace

const char* PullRequestProgressName(PullRequestProgress progress) {
  switch (progress) {
    case PullRequestProgress::kOpen:
      return "open";
    case PullRequestProgress::kClosed:
      return "closed";
    case PullRequestProgress::kAwaitingDeploy:
      return "awaiting_deploy";
    case PullRequestProgress::kDeployed:
      return "deployed";
  }
  return "open";
}

bool IsBot(const model::PlatformUser& user, const StageOptions& options) {
  const std::string name = common::AsciiLower(user.name);
  const std::string id = common::AsciiLower(user.id);
  return std::any_of(
      options.bot_patterns.begin(), options.bot_patterns.end(), [&](const std::string& pattern) {
        const std::string p = common::AsciiLower(pattern);
        return !p.empty() && (name.find(p) != std::string::npos || id.find(p) != std::string::npos);
      });
}

std::vector<std::string> BotLikeAuthors(std::span<const model::PullRequest> pull_requests,
                                        const StageOptions& options) {
  std::set<std::string> names;
  for (const model::PullRequest& pr : pull_requests) {
    const std::string name = pr.author.name.empty() ? pr.author.id : pr.author.name;
    if (common::AsciiLower(name).find("bot") != std::string::npos && !IsBot(pr.author, options)) {
      names.insert(name);
    }
  }
  return {names.begin(), names.end()};
}

std::vector<PullRequestStages> ComputeStages(const Snapshot& snapshot,
                                             std::span<const model::PullRequest> pull_requests,
                                             std::span<const model::PullRequestActivity> activity,
                                             std::span<const model::Deployment> deployments,
                                             const Attribution& attribution,
                                             const StageOptions& options) {
  std::map<std::int64_t, std::vector<const model::PullRequestActivity*>> by_pr;
  for (const model::PullRequestActivity& entry : activity) by_pr[entry.pr_number].push_back(&entry);
  const CommitGraph& graph = snapshot.graph;
  std::vector<std::uint8_t> scratch(graph.size(), 0);
  EmailIndex emails(snapshot);

  std::vector<PullRequestStages> out;
  out.reserve(pull_requests.size());
  for (const model::PullRequest& pr : pull_requests) {
    PullRequestStages row;
    row.number = pr.number;
    row.title = pr.title;
    row.state = pr.state;
    row.author = pr.author;
    row.size = pr.size;
    row.bot = IsBot(pr.author, options);
    row.created_at = pr.created_at;
    const auto& entries = by_pr[pr.number];
    std::set<std::string> reviewers;
    for (const model::PullRequestActivity* entry : entries) {
      if (!IsReview(*entry) || entry->actor_id == pr.author.id) continue;
      reviewers.insert(entry->actor_id);
      if (entry->kind == model::PullRequestActivityKind::kComment) ++row.review_comments;
      if (!row.first_review_at || entry->at < *row.first_review_at) row.first_review_at = entry->at;
    }
    row.reviewers = reviewers.size();

    const CommitIndex merge = pr.state == model::PullRequestState::kMerged && pr.merge_commit
                                  ? graph.FindByPrefix(*pr.merge_commit)
                                  : kNoCommit;
    if (pr.state == model::PullRequestState::kMerged) {
      // When it was merged: the host's close time, else the MERGED update, else the commit's.
      row.merged_at = pr.closed_at;
      for (const model::PullRequestActivity* entry : entries) {
        if (!row.merged_at && entry->new_state == model::PullRequestState::kMerged) {
          row.merged_at = entry->at;
        }
      }
      if (!row.merged_at && merge != kNoCommit) row.merged_at = graph.committer_time(merge);
    }

    if (merge != kNoCommit) {
      const CommitRange range = RangeOf(graph, pr, merge);
      if (range.include != kNoCommit) {
        EmailCounts email_counts;  // a PR has few authors
        ForEachReachableExcluding(graph, range.include, range.exclude, scratch, [&](CommitIndex c) {
          ++row.commits;
          const common::UnixSeconds at = graph.author_time(c);
          if (!row.first_commit_at || at < *row.first_commit_at) {
            row.first_commit_at = at;
          }
          CountEmail(snapshot, c, email_counts);
        });
        row.commit_email = MostFrequent(email_counts);
      } else if (range.unknown == CommitsUnknown::kBranchNotSeen && pr.branch_commits &&
                 pr.branch_commits->count > 0) {
        // The mirror never had them, but the host still lists them.
        row.commits = static_cast<std::size_t>(pr.branch_commits->count);
        row.first_commit_at = pr.branch_commits->first_authored_at;
        row.commit_email = emails.Find(pr.branch_commits->author_email);
      } else {
        // Its commits, and so its first commit, are unknown.
        row.commits = 1;
        row.commits_unknown = range.unknown == CommitsUnknown::kBranchNotSeen && pr.branch_commits
                                  ? CommitsUnknown::kBranchGone
                                  : range.unknown;
      }
    }

    if (merge != kNoCommit && attribution.shipped_by[merge] != Attribution::kNoDeployment) {
      row.deployment = attribution.shipped_by[merge];
      row.deployed_at = deployments[*row.deployment].finished_at;
      row.before_first_lookback = !attribution.credited[merge];
    }
    row.progress = row.deployed_at ? PullRequestProgress::kDeployed
                   : pr.state == model::PullRequestState::kMerged
                       ? PullRequestProgress::kAwaitingDeploy
                   : pr.state == model::PullRequestState::kOpen ? PullRequestProgress::kOpen
                                                                : PullRequestProgress::kClosed;
    row.coding = Stage(row.first_commit_at, row.created_at);
    row.pickup = Stage(row.created_at, row.first_review_at);
    row.review = Stage(row.first_review_at, row.merged_at);
    // Like lead time, the stages that end at the deployment follow its lookback.
    const std::optional<common::UnixSeconds> credited_at =
        row.before_first_lookback ? std::nullopt : row.deployed_at;
    row.deploy = Stage(row.merged_at, credited_at);
    row.total = Stage(row.first_commit_at, credited_at);
    out.push_back(std::move(row));
  }
  return out;
}

std::optional<int> LinesChanged(const std::optional<model::DiffStats>& size) {
  if (!size) return std::nullopt;
  return size->lines_added + size->lines_deleted;
}

void StageSampler::Add(Flags flags, const std::optional<common::Seconds> (&stages)[5],
                       std::optional<int> lines_changed) {
  ++summary_.merged;
  if (flags.bot) {
    ++summary_.bots_excluded;
    return;
  }
  summary_.estimated += flags.estimated ? 1 : 0;
  summary_.before_first_lookback += flags.before_first_lookback ? 1 : 0;
  for (int i = 0; i < 5; ++i) {
    if (stages[i]) samples_[i].push_back(static_cast<double>(*stages[i]));
  }
  if (lines_changed) lines_.push_back(*lines_changed);
}

StageSummary StageSampler::Finish() {
  Distribution* out[5] = {&summary_.coding, &summary_.pickup, &summary_.review, &summary_.deploy,
                          &summary_.total};
  for (int i = 0; i < 5; ++i) *out[i] = Summarize(samples_[i]);
  summary_.size_lines = Summarize(lines_);
  return summary_;
}

StageSummary SummarizeStages(std::span<const PullRequestStages> rows, common::UnixSeconds since,
                             common::UnixSeconds until) {
  StageSampler sampler;
  for (const PullRequestStages& row : rows) {
    if (!row.merged_at || *row.merged_at < since || *row.merged_at >= until) continue;
    sampler.Add({row.bot, row.commits_estimated(), row.before_first_lookback},
                {row.coding, row.pickup, row.review, row.deploy, row.total},
                LinesChanged(row.size));
  }
  return sampler.Finish();
}

}  // namespace leadline::engine
