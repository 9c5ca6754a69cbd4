#include "engine/snapshot.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "common/text.h"
#include "engine/commit_messages.h"

namespace leadline::engine {
namespace {

std::uint64_t HashSubject(std::string_view subject) {
  return std::hash<std::string_view>{}(subject);
}

}  // namespace

std::uint32_t SnapshotBuilder::InternEmail(std::string_view email) {
  if (email.empty()) return kNoEmail;
  if (const auto written = written_email_.find(email); written != written_email_.end()) {
    return written->second;
  }
  const auto [it, inserted] =
      email_ids_.emplace(common::AsciiLower(email), static_cast<std::uint32_t>(emails_.size()));
  if (inserted) emails_.push_back(it->first);
  written_email_.emplace(email, it->second);
  return it->second;
}

SnapshotBuilder::SnapshotBuilder(std::vector<std::string> hotfix_prefixes)
    : hotfix_prefixes_(std::move(hotfix_prefixes)) {}

common::Status SnapshotBuilder::Add(const CommitRecord& commit) {
  LEADLINE_RETURN_IF_ERROR(
      graph_.Add(commit.sha, commit.parent_shas, commit.author_time, commit.committer_time));
  const std::size_t position = subject_hashes_.size();
  subject_hashes_.push_back(HashSubject(Subject(commit.message)));
  email_at_.push_back(InternEmail(commit.author_email));
  if (auto revert = ParseRevert(commit.message)) {
    reverts_.push_back({position, std::move(revert->sha),
                        revert->subject.empty() ? 0 : HashSubject(revert->subject)});
  }
  if (auto branch = ParseMergedBranch(commit.message)) {
    merge_messages_.push_back(position);
    for (const std::string& prefix : hotfix_prefixes_) {
      if (branch->starts_with(prefix)) {
        hotfixes_.push_back({position, std::move(*branch)});
        break;
      }
    }
  }
  return common::Status::Ok();
}

common::Result<Snapshot> SnapshotBuilder::Build() {
  Snapshot snapshot;
  LEADLINE_ASSIGN_OR_RETURN(snapshot.graph, graph_.Build());
  const CommitGraph& graph = snapshot.graph;

  // Subject -> commits with it, only for subjects some revert names.
  std::unordered_map<std::uint64_t, std::vector<CommitIndex>> by_subject;
  for (const PendingRevert& revert : reverts_) {
    if (revert.subject_hash != 0) by_subject[revert.subject_hash];
  }
  if (!by_subject.empty()) {
    for (std::size_t position = 0; position < subject_hashes_.size(); ++position) {
      auto it = by_subject.find(subject_hashes_[position]);
      const CommitIndex c = graph_.input_to_index(position);
      if (it != by_subject.end() && c != kNoCommit) it->second.push_back(c);
    }
  }

  for (const PendingRevert& revert : reverts_) {
    const CommitIndex revert_commit = graph_.input_to_index(revert.position);
    if (revert_commit == kNoCommit) continue;
    CommitIndex reverted = revert.sha.empty() ? kNoCommit : graph.FindByPrefix(revert.sha);
    if (reverted == kNoCommit && revert.subject_hash != 0) {
      // The newest earlier commit with that subject (topological order: smaller index).
      for (CommitIndex candidate : by_subject[revert.subject_hash]) {
        if (candidate < revert_commit && (reverted == kNoCommit || candidate > reverted)) {
          reverted = candidate;
        }
      }
    }
    if (reverted == kNoCommit || reverted == revert_commit) {
      ++snapshot.unresolved_reverts;
      continue;
    }
    snapshot.reverts.push_back({revert_commit, reverted});
  }
  for (PendingHotfix& hotfix : hotfixes_) {
    const CommitIndex c = graph_.input_to_index(hotfix.position);
    if (c != kNoCommit)
      snapshot.hotfix_merges.push_back({c, std::move(hotfix.branch), std::nullopt});
  }
  snapshot.names_merged_branch.assign(graph.size(), false);
  for (std::size_t position : merge_messages_) {
    const CommitIndex c = graph_.input_to_index(position);
    if (c != kNoCommit) snapshot.names_merged_branch[c] = true;
  }
  snapshot.author_email_of.assign(graph.size(), kNoEmail);
  for (std::size_t position = 0; position < email_at_.size(); ++position) {
    const CommitIndex c = graph_.input_to_index(position);
    if (c != kNoCommit) snapshot.author_email_of[c] = email_at_[position];
  }
  snapshot.author_emails = std::move(emails_);
  auto by_commit = [](const auto& a, const auto& b) { return a.commit < b.commit; };
  std::sort(snapshot.hotfix_merges.begin(), snapshot.hotfix_merges.end(), by_commit);
  std::sort(snapshot.reverts.begin(), snapshot.reverts.end(),
            [](const RevertFact& a, const RevertFact& b) { return a.revert < b.revert; });
  return snapshot;
}

}  // namespace leadline::engine
