#include "engine/snapshot_file.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace leadline::engine {
namespace {

using common::Status;

constexpr std::string_view kMagic =
    "LLSNAP\x01\n";  // the format's version is its last byte but one

// A word-at-a-time hash of the bytes, to tell a torn or damaged file (not a security check: the
// files are the server's own).
std::uint64_t Checksum(std::string_view bytes) {
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ bytes.size();
  std::size_t at = 0;
  for (; at + 8 <= bytes.size(); at += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + at, 8);
    h = (h ^ word) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  for (; at < bytes.size(); ++at)
    h = (h ^ static_cast<unsigned char>(bytes[at])) * 0x100000001b3ull;
  return h;
}

class Writer {
 public:
  void U64(std::uint64_t value) { Raw(&value, sizeof(value)); }
  void Text(std::string_view text) {
    U64(text.size());
    out_.append(text);
  }
  template <typename T>
  void Array(const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    U64(values.size());
    Raw(values.data(), values.size() * sizeof(T));
  }
  std::string Finish() {
    U64(Checksum(out_));
    return std::move(out_);
  }

 private:
  void Raw(const void* data, std::size_t size) {
    if (size > 0) out_.append(static_cast<const char*>(data), size);  // an empty array's is null
  }
  std::string out_;
};

// Reads what Writer wrote; any read past the end, or a count the remaining bytes cannot hold,
// fails the whole read (no allocation larger than the file).
class Reader {
 public:
  explicit Reader(std::string_view bytes) : in_(bytes) {}
  bool ok() const { return ok_; }
  std::size_t at() const { return at_; }

  std::uint64_t U64() {
    std::uint64_t value = 0;
    if (!Take(&value, sizeof(value))) return 0;
    return value;
  }
  std::string Text() {
    const std::uint64_t size = U64();
    if (!ok_ || size > in_.size() - at_) return Fail<std::string>();
    std::string out(in_.substr(at_, size));
    at_ += size;
    return out;
  }
  template <typename T>
  std::vector<T> Array() {
    const std::uint64_t count = U64();
    if (!ok_ || count > (in_.size() - at_) / sizeof(T)) return Fail<std::vector<T>>();
    std::vector<T> out(count);
    Take(out.data(), count * sizeof(T));
    return out;
  }

 private:
  template <typename T>
  T Fail() {
    ok_ = false;
    return T();
  }
  bool Take(void* data, std::size_t size) {
    if (!ok_ || size > in_.size() - at_) {
      ok_ = false;
      return false;
    }
    if (size == 0) return true;  // an empty array's data is null, which memcpy may not take
    std::memcpy(data, in_.data() + at_, size);
    at_ += size;
    return true;
  }
  std::string_view in_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

Status Damaged(const std::string& what) {
  return Status::InvalidArgument("the snapshot file is damaged: " + what);
}

}  // namespace

// Reaches the graph's arrays; the one place that knows the file's layout.
struct SnapshotCodec {
  static std::string Encode(const Snapshot& s, std::string_view key) {
    Writer out;
    out.Text(kMagic);
    out.Text(key);
    const CommitGraph& g = s.graph;
    out.Array(g.ids_);
    out.Array(g.author_time_);
    out.Array(g.committer_time_);
    out.Array(g.parent_begin_);
    out.Array(g.parents_);
    out.Array(g.by_id_);
    out.U64(g.missing_parents_);
    out.Array(s.reverts);
    out.U64(s.hotfix_merges.size());
    for (const HotfixMerge& merge : s.hotfix_merges) {
      out.U64(merge.commit);
      out.Text(merge.branch);
      out.U64(merge.merged_at ? 1 : 0);
      out.U64(static_cast<std::uint64_t>(merge.merged_at.value_or(0)));
    }
    out.Array(
        std::vector<std::uint8_t>(s.names_merged_branch.begin(), s.names_merged_branch.end()));
    out.U64(s.unresolved_reverts);
    out.U64(s.author_emails.size());
    for (const std::string& email : s.author_emails) out.Text(email);
    out.Array(s.author_email_of);
    return out.Finish();
  }

  static common::Result<Snapshot> Decode(std::string_view bytes, std::string_view key) {
    if (bytes.size() < 8) return Damaged("too short");
    std::uint64_t stored_sum;
    std::memcpy(&stored_sum, bytes.data() + bytes.size() - 8, 8);
    const std::string_view body = bytes.substr(0, bytes.size() - 8);
    Reader in(body);
    if (in.Text() != kMagic) return Status::NotFound("the snapshot file is of another format");
    if (in.Text() != key) return Status::NotFound("the snapshot file is of another history");
    if (Checksum(body) != stored_sum) return Damaged("its checksum does not match");
    Snapshot s;
    CommitGraph& g = s.graph;
    g.ids_ = in.Array<common::ObjectId>();
    g.author_time_ = in.Array<common::UnixSeconds>();
    g.committer_time_ = in.Array<common::UnixSeconds>();
    g.parent_begin_ = in.Array<std::uint32_t>();
    g.parents_ = in.Array<CommitIndex>();
    g.by_id_ = in.Array<CommitIndex>();
    g.missing_parents_ = in.U64();
    s.reverts = in.Array<RevertFact>();
    const std::uint64_t hotfixes = in.U64();
    if (hotfixes > body.size()) return Damaged("a count past its end");
    for (std::uint64_t i = 0; in.ok() && i < hotfixes; ++i) {
      HotfixMerge merge;
      merge.commit = static_cast<CommitIndex>(in.U64());
      merge.branch = in.Text();
      const bool has_time = in.U64() != 0;
      const auto time = static_cast<common::UnixSeconds>(in.U64());
      if (has_time) merge.merged_at = time;
      s.hotfix_merges.push_back(std::move(merge));
    }
    const std::vector<std::uint8_t> merged_branch = in.Array<std::uint8_t>();
    s.names_merged_branch.assign(merged_branch.begin(), merged_branch.end());
    s.unresolved_reverts = in.U64();
    const std::uint64_t emails = in.U64();
    if (emails > body.size()) return Damaged("a count past its end");
    for (std::uint64_t i = 0; in.ok() && i < emails; ++i) s.author_emails.push_back(in.Text());
    s.author_email_of = in.Array<std::uint32_t>();
    if (!in.ok() || in.at() != body.size()) return Damaged("its sections do not fit");
    LEADLINE_RETURN_IF_ERROR(Check(s));
    return s;
  }

  // Every index points inside its array: a file that passed the checksum but was written wrong
  // must not make the engine read out of bounds.
  static Status Check(const Snapshot& s) {
    const CommitGraph& g = s.graph;
    const std::size_t n = g.ids_.size();
    if (g.author_time_.size() != n || g.committer_time_.size() != n || g.by_id_.size() != n ||
        g.parent_begin_.size() != n + 1 || g.parent_begin_.front() != 0 ||
        g.parent_begin_.back() != g.parents_.size()) {
      return Damaged("its arrays disagree in size");
    }
    for (std::size_t c = 0; c < n; ++c) {
      if (g.parent_begin_[c] > g.parent_begin_[c + 1] || g.by_id_[c] >= n) {
        return Damaged("an index out of range");
      }
    }
    for (const CommitIndex parent : g.parents_) {
      if (parent >= n) return Damaged("a parent out of range");
    }
    for (const RevertFact& revert : s.reverts) {
      if (revert.revert >= n || revert.reverted >= n) return Damaged("a revert out of range");
    }
    for (const HotfixMerge& merge : s.hotfix_merges) {
      if (merge.commit >= n) return Damaged("a hotfix out of range");
    }
    if (s.names_merged_branch.size() != n ||
        (!s.author_email_of.empty() && s.author_email_of.size() != n)) {
      return Damaged("its arrays disagree in size");
    }
    for (const std::uint32_t email : s.author_email_of) {
      if (email != kNoEmail && email >= s.author_emails.size()) {
        return Damaged("an e-mail out of range");
      }
    }
    return Status::Ok();
  }
};

std::string EncodeSnapshot(const Snapshot& snapshot, std::string_view key) {
  return SnapshotCodec::Encode(snapshot, key);
}

common::Result<Snapshot> DecodeSnapshot(std::string_view bytes, std::string_view key) {
  return SnapshotCodec::Decode(bytes, key);
}

}  // namespace leadline::engine
