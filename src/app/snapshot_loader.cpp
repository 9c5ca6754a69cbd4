#include "app/snapshot_loader.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "engine/snapshot_file.h"

namespace leadline::app {
namespace {

common::Result<engine::Snapshot> BuildSnapshot(store::Store& store, std::int64_t repo_id,
                                               const std::vector<std::string>& hotfix_prefixes) {
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t commit_count, store.history().CountCommits(repo_id));
  engine::SnapshotBuilder builder(hotfix_prefixes);
  builder.Reserve(static_cast<std::size_t>(commit_count));
  common::Status added = common::Status::Ok();
  LEADLINE_RETURN_IF_ERROR(store.history().ForEachCommit(repo_id, [&](const store::CommitView& c) {
    if (!added.ok()) return;
    added = builder.Add(
        {c.sha, c.parent_shas, c.author_time, c.committer_time, c.message, c.author_email});
  }));
  LEADLINE_RETURN_IF_ERROR(added.WithContext("the store holds a malformed commit"));
  return builder.Build();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

// Writes `bytes` to `path` through a temporary file of its own and a rename, so that a reader
// sees the old file or the new one. A cache: failing to write only costs the next run a build.
void WriteFileAtomically(const std::string& path, const std::string& bytes) {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), error);
  if (error) return;
  const std::string temporary =
      path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(std::random_device{}());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) {
      std::filesystem::remove(temporary, error);
      return;
    }
  }
  std::filesystem::rename(temporary, path, error);
  if (error) std::filesystem::remove(temporary, error);
}

}  // namespace

common::Result<engine::Snapshot> LoadSnapshot(store::Store& store, std::int64_t repo_id,
                                              const std::vector<std::string>& hotfix_prefixes,
                                              const std::string& cache_dir) {
  if (cache_dir.empty()) return BuildSnapshot(store, repo_id, hotfix_prefixes);
  // The version is read before the commits: a snapshot built while commits arrive holds at least
  // the version's history, and a later insert gives the history a new version.
  LEADLINE_ASSIGN_OR_RETURN(const std::string version, store.history().LoadHistoryVersion(repo_id));
  if (version.empty()) return BuildSnapshot(store, repo_id, hotfix_prefixes);
  std::string key = version;
  for (const std::string& prefix : hotfix_prefixes) key += "\n" + prefix;
  const std::string path = cache_dir + "/" + std::to_string(repo_id) + ".snapshot";
  if (common::Result<engine::Snapshot> cached = engine::DecodeSnapshot(ReadFile(path), key);
      cached.ok()) {
    return cached;
  }
  LEADLINE_ASSIGN_OR_RETURN(engine::Snapshot built, BuildSnapshot(store, repo_id, hotfix_prefixes));
  WriteFileAtomically(path, engine::EncodeSnapshot(built, key));
  return built;
}

}  // namespace leadline::app
