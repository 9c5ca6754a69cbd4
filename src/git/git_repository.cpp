#include "git/git_repository.h"

#include <git2.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unordered_set>

#include "common/object_id.h"
#include "git/batch_pipe.h"
#include "git/libgit2_support.h"

namespace leadline::git {
namespace {

// Commits handed from the reading thread to the caller's at a time, and batches read ahead.
constexpr std::size_t kReadBatch = 1024;
constexpr std::size_t kReadBatchesAhead = 8;

std::string OidHex(const git_oid* oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof(hex), oid);
  return hex;
}

template <typename T, void (*Free)(T*)>
struct Owned {
  T* ptr = nullptr;
  ~Owned() { Free(ptr); }
};

std::size_t CountLines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::size_t lines = 0;
  while (std::getline(in, line)) lines += line.empty() ? 0 : 1;
  return lines;
}

}  // namespace

struct GitRepository::Handle {
  git_repository* repo = nullptr;
  ~Handle() { git_repository_free(repo); }
};

GitRepository::GitRepository(std::unique_ptr<Handle> handle, std::string location)
    : handle_(std::move(handle)), location_(std::move(location)) {}
GitRepository::~GitRepository() = default;
GitRepository::GitRepository(GitRepository&&) noexcept = default;
GitRepository& GitRepository::operator=(GitRepository&&) noexcept = default;

Result<GitRepository> GitRepository::Open(const std::string& path) {
  EnsureLibgit2();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound("'" + path + "' does not exist");
  }
  auto handle = std::make_unique<Handle>();
  if (git_repository_open_ext(&handle->repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH,
                              nullptr) != 0) {
    return Status::InvalidArgument("'" + path +
                                   "' is not a git repository (give the top folder of a clone, "
                                   "its .git folder, or a bare repository)");
  }
  const char* workdir = git_repository_workdir(handle->repo);
  const std::filesystem::path root = workdir ? workdir : git_repository_path(handle->repo);
  std::string location = std::filesystem::weakly_canonical(root, ec).string();
  while (location.size() > 1 && location.back() == '/') location.pop_back();

  if (git_repository_is_empty(handle->repo) == 1) {
    return Status::FailedPrecondition("'" + path +
                                      "' has no commits yet: commit and tag a release first");
  }
  if (git_repository_is_shallow(handle->repo) == 1) {
    const std::size_t boundaries =
        CountLines(std::filesystem::path(git_repository_path(handle->repo)) / "shallow");
    return Status::FailedPrecondition(
        "'" + path + "' is a shallow clone: the history behind " + std::to_string(boundaries) +
        " boundary commit(s) is missing, so lead times and changes per deployment would be wrong; "
        "run `git -C " +
        path + " fetch --unshallow` (or clone without --depth) and try again");
  }
  return GitRepository(std::move(handle), std::move(location));
}

std::string GitRepository::name() const {
  std::filesystem::path p(location_);
  std::string name = p.filename().string();
  if (name == ".git") name = p.parent_path().filename().string();
  if (name.size() > 4 && name.ends_with(".git")) name.resize(name.size() - 4);
  return name.empty() ? location_ : name;
}

std::string GitRepository::DefaultBranch() const {
  Owned<git_reference, git_reference_free> head;
  if (git_repository_head(&head.ptr, handle_->repo) == 0 && git_reference_is_branch(head.ptr)) {
    return git_reference_shorthand(head.ptr);
  }
  for (const char* candidate : {"main", "master"}) {
    Owned<git_reference, git_reference_free> branch;
    if (git_branch_lookup(&branch.ptr, handle_->repo, candidate, GIT_BRANCH_LOCAL) == 0) {
      return candidate;
    }
  }
  return "";
}

Result<std::vector<model::Ref>> GitRepository::ReadRefs() const {
  Owned<git_reference_iterator, git_reference_iterator_free> it;
  if (git_reference_iterator_new(&it.ptr, handle_->repo) != 0) {
    return Status::IoError("cannot list the refs of '" + location_ + "': " + LastLibgit2Error());
  }
  std::vector<model::Ref> refs;
  git_reference* raw = nullptr;
  while (git_reference_next(&raw, it.ptr) == 0) {
    Owned<git_reference, git_reference_free> ref{raw};
    const std::string full = git_reference_name(ref.ptr);
    model::Ref out;
    if (full.starts_with("refs/heads/")) {
      out.kind = model::RefKind::kBranch;
      out.name = full.substr(11);
    } else if (full.starts_with("refs/tags/")) {
      out.kind = model::RefKind::kTag;
      out.name = full.substr(10);
    } else {
      continue;
    }
    // A tag's object is read once: an annotated tag names its tagger and, mostly, its commit.
    Owned<git_object, git_object_free> target;
    if (out.kind == model::RefKind::kTag && git_reference_type(ref.ptr) == GIT_REFERENCE_DIRECT) {
      if (git_object_lookup(&target.ptr, handle_->repo, git_reference_target(ref.ptr),
                            GIT_OBJECT_ANY) != 0) {
        continue;
      }
      if (git_object_type(target.ptr) == GIT_OBJECT_TAG) {
        const auto* tag = reinterpret_cast<const git_tag*>(target.ptr);
        if (const git_signature* tagger = git_tag_tagger(tag)) out.tag_time = tagger->when.time;
      }
    }
    Owned<git_object, git_object_free> commit;
    if (target.ptr != nullptr && git_object_type(target.ptr) == GIT_OBJECT_TAG &&
        git_tag_target_type(reinterpret_cast<const git_tag*>(target.ptr)) == GIT_OBJECT_COMMIT) {
      out.target_sha = OidHex(git_tag_target_id(reinterpret_cast<const git_tag*>(target.ptr)));
    } else if (target.ptr != nullptr) {
      if (git_object_peel(&commit.ptr, target.ptr, GIT_OBJECT_COMMIT) != 0) continue;
      out.target_sha = OidHex(git_object_id(commit.ptr));
    } else {
      if (git_reference_peel(&commit.ptr, ref.ptr, GIT_OBJECT_COMMIT) != 0) continue;
      out.target_sha = OidHex(git_object_id(commit.ptr));
    }
    refs.push_back(std::move(out));
  }
  std::sort(refs.begin(), refs.end(), [](const model::Ref& a, const model::Ref& b) {
    return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
  });
  return refs;
}

Result<std::vector<std::string>> GitRepository::ReadRefCommits(const std::string& glob) const {
  Owned<git_reference_iterator, git_reference_iterator_free> it;
  if (git_reference_iterator_glob_new(&it.ptr, handle_->repo, glob.c_str()) != 0) {
    return Status::IoError("cannot list the refs '" + glob + "' of '" + location_ +
                           "': " + LastLibgit2Error());
  }
  std::vector<std::string> shas;
  git_reference* raw = nullptr;
  while (git_reference_next(&raw, it.ptr) == 0) {
    Owned<git_reference, git_reference_free> ref{raw};
    Owned<git_object, git_object_free> commit;
    if (git_reference_peel(&commit.ptr, ref.ptr, GIT_OBJECT_COMMIT) != 0) continue;
    shas.push_back(OidHex(git_object_id(commit.ptr)));
  }
  std::sort(shas.begin(), shas.end());
  shas.erase(std::unique(shas.begin(), shas.end()), shas.end());
  return shas;
}

Result<std::string> GitRepository::ResolveCommit(const std::string& hex) const {
  git_oid oid;
  Owned<git_commit, git_commit_free> commit;
  if (hex.size() < 4 || hex.size() > GIT_OID_HEXSZ || !common::IsHexString(hex) ||
      git_oid_fromstrn(&oid, hex.c_str(), hex.size()) != 0 ||
      git_commit_lookup_prefix(&commit.ptr, handle_->repo, &oid, hex.size()) != 0) {
    return Status::NotFound("commit '" + hex + "' is not in the repository '" + location_ + "'");
  }
  return OidHex(git_commit_id(commit.ptr));
}

Result<model::DiffStats> GitRepository::FirstParentDiff(const std::string& hex) const {
  LEADLINE_ASSIGN_OR_RETURN(const std::string sha, ResolveCommit(hex));
  git_oid oid;
  Owned<git_commit, git_commit_free> commit, parent;
  Owned<git_tree, git_tree_free> tree, parent_tree;
  Owned<git_diff, git_diff_free> diff;
  Owned<git_diff_stats, git_diff_stats_free> stats;
  const bool ok =
      git_oid_fromstr(&oid, sha.c_str()) == 0 &&
      git_commit_lookup(&commit.ptr, handle_->repo, &oid) == 0 &&
      git_commit_tree(&tree.ptr, commit.ptr) == 0 &&
      (git_commit_parentcount(commit.ptr) == 0 ||
       (git_commit_parent(&parent.ptr, commit.ptr, 0) == 0 &&
        git_commit_tree(&parent_tree.ptr, parent.ptr) == 0)) &&
      git_diff_tree_to_tree(&diff.ptr, handle_->repo, parent_tree.ptr, tree.ptr, nullptr) == 0 &&
      git_diff_get_stats(&stats.ptr, diff.ptr) == 0;
  if (!ok) return Status::Internal("diff of " + sha + ": " + LastLibgit2Error());
  return model::DiffStats{static_cast<int>(git_diff_stats_files_changed(stats.ptr)),
                          static_cast<int>(git_diff_stats_insertions(stats.ptr)),
                          static_cast<int>(git_diff_stats_deletions(stats.ptr))};
}

Result<common::UnixSeconds> GitRepository::CommitterTime(const std::string& sha) const {
  git_oid oid;
  Owned<git_commit, git_commit_free> commit;
  if (git_oid_fromstr(&oid, sha.c_str()) != 0 ||
      git_commit_lookup(&commit.ptr, handle_->repo, &oid) != 0) {
    return Status::NotFound("commit '" + sha + "' is not in the repository '" + location_ + "'");
  }
  return static_cast<common::UnixSeconds>(git_commit_committer(commit.ptr)->when.time);
}

Status GitRepository::ReadCommits(const std::vector<std::string>& tips,
                                  const std::function<bool(const std::string& sha)>& known,
                                  const std::function<Status(model::Commit&&)>& visit) const {
  // libgit2 reads (and inflates) the commits on a second thread while this one runs `visit`
  // (the store's inserts), so that the two costs overlap instead of adding up.
  BatchPipe<model::Commit> pipe(kReadBatch, kReadBatchesAhead);
  std::thread reader([&] {
    pipe.Close(WalkCommits(tips, known, [&](model::Commit&& commit) {
      return pipe.Push(std::move(commit)) ? Status::Ok() : Status::Unavailable("cancelled");
    }));
  });
  // Should `visit` throw, the reader is stopped and joined before the exception leaves (a
  // joinable std::thread destroyed would end the process).
  struct StopReader {
    BatchPipe<model::Commit>& pipe;
    std::thread& reader;
    ~StopReader() {
      pipe.Cancel();
      reader.join();
    }
  };
  Status status = Status::Ok();
  {
    StopReader stop{pipe, reader};
    std::vector<model::Commit> batch;
    while (status.ok() && pipe.Pop(batch)) {
      for (model::Commit& commit : batch) {
        status = visit(std::move(commit));
        if (!status.ok()) break;
      }
    }
  }
  return status.ok() ? pipe.status() : status;
}

Status GitRepository::WalkCommits(const std::vector<std::string>& tips,
                                  const std::function<bool(const std::string& sha)>& known,
                                  const std::function<Status(model::Commit&&)>& visit) const {
  // A plain depth-first walk rather than git_revwalk, which would parse every commit once for
  // itself and once more for git_commit_lookup.
  struct OidHash {
    std::size_t operator()(const git_oid& oid) const {
      std::size_t h;
      std::memcpy(&h, oid.id, sizeof(h));
      return h;
    }
  };
  struct OidEqual {
    bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b); }
  };
  std::unordered_set<git_oid, OidHash, OidEqual> seen;
  std::vector<git_oid> stack;
  for (const std::string& tip : tips) {
    git_oid oid;
    if (git_oid_fromstr(&oid, tip.c_str()) != 0) {
      return Status::InvalidArgument("'" + tip + "' is not a commit id");
    }
    stack.push_back(oid);
  }
  model::Commit out;
  while (!stack.empty()) {
    const git_oid oid = stack.back();
    stack.pop_back();
    if (!seen.insert(oid).second) continue;
    out.sha = OidHex(&oid);
    if (known(out.sha)) continue;
    Owned<git_commit, git_commit_free> commit;
    if (git_commit_lookup(&commit.ptr, handle_->repo, &oid) != 0) {
      return Status::IoError("cannot read commit " + out.sha + " of '" + location_ +
                             "': " + LastLibgit2Error());
    }
    const unsigned parent_count = git_commit_parentcount(commit.ptr);
    out.parents.resize(parent_count);
    for (unsigned i = 0; i < parent_count; ++i) {
      const git_oid* parent = git_commit_parent_id(commit.ptr, i);
      out.parents[i] = OidHex(parent);
      stack.push_back(*parent);
    }
    const git_signature* author = git_commit_author(commit.ptr);
    const git_signature* committer = git_commit_committer(commit.ptr);
    out.author = {author->name, author->email};
    out.author_time = author->when.time;
    out.committer = {committer->name, committer->email};
    out.committer_time = committer->when.time;
    const char* message = git_commit_message(commit.ptr);
    out.message = message ? message : "";
    LEADLINE_RETURN_IF_ERROR(visit(std::move(out)));
    out = model::Commit();
  }
  return Status::Ok();
}

}  // namespace leadline::git
