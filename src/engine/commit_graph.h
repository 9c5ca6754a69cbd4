// CommitGraph: a repository's history as compact arrays, for the graph walks behind change
// attribution. Commits are numbered 0..n-1 in topological order (every parent has a smaller
// index than its children), which lets walks visit commits newest-first with a plain max-heap
// over indices. Per commit it keeps the id, the two times and the parent list (CSR layout): about
// 50 bytes, with no per-commit allocation. Messages and people stay in the store.
//
// Built once by CommitGraphBuilder, then immutable: safe to read from many threads.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/object_id.h"
#include "common/status.h"
#include "common/time.h"

namespace leadline::engine {

using CommitIndex = std::uint32_t;
inline constexpr CommitIndex kNoCommit = 0xffffffffu;

class CommitGraph {
 public:
  CommitGraph() = default;

  std::size_t size() const { return ids_.size(); }
  const common::ObjectId& id(CommitIndex c) const { return ids_[c]; }
  common::UnixSeconds author_time(CommitIndex c) const { return author_time_[c]; }
  common::UnixSeconds committer_time(CommitIndex c) const { return committer_time_[c]; }
  std::span<const CommitIndex> parents(CommitIndex c) const {
    return {parents_.data() + parent_begin_[c], parents_.data() + parent_begin_[c + 1]};
  }
  bool is_merge(CommitIndex c) const { return parent_begin_[c + 1] - parent_begin_[c] > 1; }

  CommitIndex Find(const common::ObjectId& id) const;
  // Resolves a full or abbreviated hex id (at least 4 digits). Returns kNoCommit when nothing
  // matches; `ambiguous` is set when more than one commit matches the prefix.
  CommitIndex FindByPrefix(std::string_view hex, bool* ambiguous = nullptr) const;

  // Heap bytes held by the graph's arrays.
  std::size_t MemoryBytes() const;
  // Parents named by commits but absent from the input (a shallow or partial history).
  std::size_t missing_parent_count() const { return missing_parents_; }

 private:
  friend class CommitGraphBuilder;
  friend struct SnapshotCodec;  // snapshot_file.h

  std::vector<common::ObjectId> ids_;
  std::vector<common::UnixSeconds> author_time_;
  std::vector<common::UnixSeconds> committer_time_;
  std::vector<std::uint32_t> parent_begin_;  // size() + 1 offsets into parents_
  std::vector<CommitIndex> parents_;
  std::vector<CommitIndex> by_id_;  // commit indices sorted by id, for lookups
  std::size_t missing_parents_ = 0;
};

// Collects commits in any order, then builds the graph. Duplicate ids are kept once.
class CommitGraphBuilder {
 public:
  void Reserve(std::size_t commits);
  // `parent_hex` is space-separated 40-digit hex ids (the store's form). Returns the input
  // position, which Build() maps to the final index through input_to_index().
  common::Status Add(std::string_view hex, std::string_view parent_hex,
                     common::UnixSeconds author_time, common::UnixSeconds committer_time);
  common::Result<CommitGraph> Build();
  // After Build(): the graph index of the commit added at `position` (kNoCommit for duplicates).
  CommitIndex input_to_index(std::size_t position) const { return input_to_index_[position]; }

 private:
  std::vector<common::ObjectId> ids_;
  std::vector<common::UnixSeconds> author_time_;
  std::vector<common::UnixSeconds> committer_time_;
  std::vector<std::uint32_t> parent_begin_{0};
  std::vector<common::ObjectId> parent_ids_;
  std::vector<CommitIndex> input_to_index_;
};

}  // namespace leadline::engine
