#include "engine/commit_graph.h"

#include <algorithm>
#include <cstring>
#include <numeric>

namespace leadline::engine {
namespace {

using common::ObjectId;
using common::Status;

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Compares the first `digits` hex digits of `id` with `hex`: <0, 0 or >0.
int ComparePrefix(const ObjectId& id, std::string_view hex) {
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const int have = (i % 2 == 0) ? id.bytes[i / 2] >> 4 : id.bytes[i / 2] & 0xf;
    const int want = HexDigit(hex[i]);
    if (have != want) return have < want ? -1 : 1;
  }
  return 0;
}

std::uint64_t LeadingKey(const ObjectId& id) {
  std::uint64_t word;
  std::memcpy(&word, id.bytes.data(), sizeof(word));
  return __builtin_bswap64(word);
}

template <typename T>
std::size_t Bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

CommitIndex CommitGraph::Find(const ObjectId& id) const {
  auto it =
      std::lower_bound(by_id_.begin(), by_id_.end(), id,
                       [this](CommitIndex c, const ObjectId& want) { return ids_[c] < want; });
  return (it != by_id_.end() && ids_[*it] == id) ? *it : kNoCommit;
}

CommitIndex CommitGraph::FindByPrefix(std::string_view hex, bool* ambiguous) const {
  if (ambiguous) *ambiguous = false;
  if (hex.size() < 4 || hex.size() > 40 || !common::IsHexString(hex)) return kNoCommit;
  if (hex.size() == 40) return Find(*ObjectId::FromHex(hex));
  auto it = std::lower_bound(
      by_id_.begin(), by_id_.end(), hex,
      [this](CommitIndex c, std::string_view want) { return ComparePrefix(ids_[c], want) < 0; });
  if (it == by_id_.end() || ComparePrefix(ids_[*it], hex) != 0) return kNoCommit;
  if (std::next(it) != by_id_.end() && ComparePrefix(ids_[*std::next(it)], hex) == 0) {
    if (ambiguous) *ambiguous = true;
    return kNoCommit;
  }
  return *it;
}

std::size_t CommitGraph::MemoryBytes() const {
  return Bytes(ids_) + Bytes(author_time_) + Bytes(committer_time_) + Bytes(parent_begin_) +
         Bytes(parents_) + Bytes(by_id_);
}

void CommitGraphBuilder::Reserve(std::size_t commits) {
  ids_.reserve(commits);
  author_time_.reserve(commits);
  committer_time_.reserve(commits);
  parent_begin_.reserve(commits + 1);
  parent_ids_.reserve(commits + commits / 4);
}

Status CommitGraphBuilder::Add(std::string_view hex, std::string_view parent_hex,
                               common::UnixSeconds author_time,
                               common::UnixSeconds committer_time) {
  auto id = ObjectId::FromHex(hex);
  if (!id) return Status::InvalidArgument("'" + std::string(hex) + "' is not a commit id");
  while (!parent_hex.empty()) {
    const std::size_t space = parent_hex.find(' ');
    const std::string_view one = parent_hex.substr(0, space);
    auto parent = ObjectId::FromHex(one);
    if (!parent) {
      return Status::InvalidArgument("commit " + std::string(hex) + " names a bad parent id '" +
                                     std::string(one) + "'");
    }
    parent_ids_.push_back(*parent);
    parent_hex =
        space == std::string_view::npos ? std::string_view() : parent_hex.substr(space + 1);
  }
  ids_.push_back(*id);
  author_time_.push_back(author_time);
  committer_time_.push_back(committer_time);
  parent_begin_.push_back(static_cast<std::uint32_t>(parent_ids_.size()));
  return Status::Ok();
}

common::Result<CommitGraph> CommitGraphBuilder::Build() {
  const std::size_t n = ids_.size();
  if (n >= kNoCommit) return Status::InvalidArgument("too many commits for one graph");

  // Sort input positions by id (the leading 8 bytes as an integer key first: most comparisons
  // end there), and drop duplicates.
  struct Keyed {
    std::uint64_t key;
    CommitIndex position;
  };
  std::vector<Keyed> keyed(n);
  for (CommitIndex c = 0; c < n; ++c) keyed[c] = {LeadingKey(ids_[c]), c};
  auto keyed_less = [this](const Keyed& a, const Keyed& b) {
    return a.key != b.key ? a.key < b.key : ids_[a.position] < ids_[b.position];
  };
  std::sort(keyed.begin(), keyed.end(), keyed_less);
  std::vector<bool> duplicate(n, false);
  for (std::size_t i = 1; i < n; ++i) {
    if (ids_[keyed[i].position] == ids_[keyed[i - 1].position]) duplicate[keyed[i].position] = true;
  }
  keyed.erase(std::remove_if(keyed.begin(), keyed.end(),
                             [&](const Keyed& k) { return duplicate[k.position]; }),
              keyed.end());
  // Parents are resolved through an open-addressing hash table (ids are uniformly random, so
  // their leading bytes are the hash): one or two probes instead of a cache-missing binary search.
  std::size_t capacity = 1;
  while (capacity < 2 * keyed.size() + 1) capacity <<= 1;
  std::vector<CommitIndex> table(capacity, kNoCommit);
  for (const Keyed& k : keyed) {
    std::size_t slot = k.key & (capacity - 1);
    while (table[slot] != kNoCommit) slot = (slot + 1) & (capacity - 1);
    table[slot] = k.position;
  }
  auto find_input = [&](const ObjectId& id) -> CommitIndex {
    for (std::size_t slot = LeadingKey(id) & (capacity - 1);; slot = (slot + 1) & (capacity - 1)) {
      if (table[slot] == kNoCommit || ids_[table[slot]] == id) return table[slot];
    }
  };

  // Resolve parents to input positions; count children to order commits topologically (Kahn).
  CommitGraph graph;
  std::vector<CommitIndex> parent_input(parent_ids_.size(), kNoCommit);
  std::vector<std::uint32_t> pending_parents(n, 0);
  std::vector<std::uint32_t> child_begin(n + 1, 0);
  for (CommitIndex c = 0; c < n; ++c) {
    if (duplicate[c]) continue;
    for (std::uint32_t e = parent_begin_[c]; e < parent_begin_[c + 1]; ++e) {
      parent_input[e] = find_input(parent_ids_[e]);
      if (parent_input[e] == kNoCommit) {
        ++graph.missing_parents_;
        continue;
      }
      ++pending_parents[c];
      ++child_begin[parent_input[e] + 1];
    }
  }
  std::partial_sum(child_begin.begin(), child_begin.end(), child_begin.begin());
  std::vector<CommitIndex> children(child_begin[n]);
  {
    std::vector<std::uint32_t> fill(child_begin.begin(), child_begin.end() - 1);
    for (CommitIndex c = 0; c < n; ++c) {
      if (duplicate[c]) continue;
      for (std::uint32_t e = parent_begin_[c]; e < parent_begin_[c + 1]; ++e) {
        if (parent_input[e] != kNoCommit) children[fill[parent_input[e]]++] = c;
      }
    }
  }
  std::vector<CommitIndex> order;  // input positions in topological order
  order.reserve(keyed.size());
  for (const Keyed& k : keyed) {
    if (pending_parents[k.position] == 0) order.push_back(k.position);
  }
  for (std::size_t head = 0; head < order.size(); ++head) {
    const CommitIndex c = order[head];
    for (std::uint32_t e = child_begin[c]; e < child_begin[c + 1]; ++e) {
      if (--pending_parents[children[e]] == 0) order.push_back(children[e]);
    }
  }
  if (order.size() != keyed.size()) {
    return Status::FailedPrecondition("the stored history has a cycle: the store is corrupt");
  }

  input_to_index_.assign(n, kNoCommit);
  for (std::size_t i = 0; i < order.size(); ++i)
    input_to_index_[order[i]] = static_cast<CommitIndex>(i);

  const std::size_t m = order.size();
  graph.ids_.reserve(m);
  graph.author_time_.reserve(m);
  graph.committer_time_.reserve(m);
  graph.parent_begin_.reserve(m + 1);
  graph.parent_begin_.push_back(0);
  graph.parents_.reserve(parent_ids_.size() - graph.missing_parents_);
  for (CommitIndex c : order) {
    graph.ids_.push_back(ids_[c]);
    graph.author_time_.push_back(author_time_[c]);
    graph.committer_time_.push_back(committer_time_[c]);
    for (std::uint32_t e = parent_begin_[c]; e < parent_begin_[c + 1]; ++e) {
      if (parent_input[e] != kNoCommit) graph.parents_.push_back(input_to_index_[parent_input[e]]);
    }
    graph.parent_begin_.push_back(static_cast<std::uint32_t>(graph.parents_.size()));
  }
  graph.by_id_.reserve(m);
  for (const Keyed& k : keyed) graph.by_id_.push_back(input_to_index_[k.position]);
  graph.parents_.shrink_to_fit();
  return graph;
}

}  // namespace leadline::engine
