#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "http/pager.h"
#include "ingest/bitbucket_dc.h"
#include "sources/bitbucket/dc_parse.h"
#include "sources/contract/parse_page.h"

namespace leadline::ingest {
namespace {

using common::Result;
using common::Status;

// Commits asked about per stats request.
constexpr std::size_t kStatsBatch = 100;

http::HttpRequest BuildStatusRequest(const SyncTarget& target, const std::string& path) {
  http::HttpRequest request;
  request.credentials = target.settings.Credentials();
  request.url = target.settings.url + "/rest/build-status/1.0/commits" + path;
  return request;
}

// Which of `shas` have build statuses at all.
Result<std::vector<std::string>> CommitsWithBuilds(const SyncTarget& target,
                                                   const std::vector<std::string>& shas) {
  http::HttpRequest request = BuildStatusRequest(target, "/stats");
  request.method = "POST";
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = nlohmann::json(shas).dump();
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, target.client.Send(request));
  if (!response.ok()) return http::HttpError(response, request.url);
  const nlohmann::json stats =
      nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!stats.is_object()) {
    return Status::InvalidArgument("the build statistics from " + http::RedactUrl(request.url) +
                                   " are not a JSON object");
  }
  std::vector<std::string> out;
  for (const auto& [sha, counts] : stats.items()) {
    if (counts.is_object() && !counts.empty()) out.push_back(sha);
  }
  return out;
}

// Reads and stores the build statuses of one commit; returns how many were new or changed.
Result<std::int64_t> SyncCommitBuilds(const SyncTarget& target, const std::string& sha,
                                      SyncCounts& counts) {
  std::vector<model::Pipeline> builds;
  LEADLINE_RETURN_IF_ERROR(http::ForEachPage(
      target.client, http::PageStyle::kBitbucketDataCenter,
      BuildStatusRequest(target, "/" + sha + "?limit=100"),
      [&](const nlohmann::json& values, const std::string& url) -> Status {
        LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Pipeline> page,
                                  sources::ParsePage<model::Pipeline>(
                                      values, url, "build status", [&](const nlohmann::json& v) {
                                        return sources::bitbucket::ParseDcBuildStatus(v, sha);
                                      }));
        ++counts.pages;
        builds.insert(builds.end(), page.begin(), page.end());
        return Status::Ok();
      }));
  counts.received += static_cast<std::int64_t>(builds.size());
  return target.store.UpsertPipelines(target.repository.id, builds);
}

// Where the last sync stopped: the newest commit time it asked about and the commits of that
// second (more may arrive with the same time).
struct BuildCursor {
  common::UnixSeconds time = 0;
  std::set<std::string> shas;
};

BuildCursor ParseCursor(const std::string& text, common::UnixSeconds since) {
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object() || !parsed.contains("time") || !parsed["time"].is_number_integer()) {
    return {since, {}};
  }
  BuildCursor cursor{parsed["time"].get<common::UnixSeconds>(), {}};
  if (parsed.contains("shas") && parsed["shas"].is_array()) {
    for (const nlohmann::json& sha : parsed["shas"]) {
      if (sha.is_string()) cursor.shas.insert(sha.get<std::string>());
    }
  }
  return cursor;
}

}  // namespace

Result<SyncCounts> SyncDcBuildStatuses(const SyncTarget& target) {
  const std::int64_t repo_id = target.repository.id;
  LEADLINE_ASSIGN_OR_RETURN(const std::string stored_cursor,
                            target.store.LoadCursor(repo_id, kBuildStatusesCursor));
  const BuildCursor cursor = ParseCursor(stored_cursor, target.since);
  // Commits that arrived since the last sync are asked whether they have builds at all.
  std::set<std::string> arrived;
  BuildCursor next = cursor;
  LEADLINE_RETURN_IF_ERROR(target.store.ForEachCommit(repo_id, [&](const store::CommitView& c) {
    const std::string sha(c.sha);
    if (c.committer_time < cursor.time ||
        (c.committer_time == cursor.time && cursor.shas.contains(sha))) {
      return;
    }
    arrived.insert(sha);
    if (c.committer_time > next.time) next = {c.committer_time, {}};
    if (c.committer_time == next.time) next.shas.insert(sha);
  }));
  std::vector<std::string> with_builds;
  SyncCounts counts;
  const std::vector<std::string> all(arrived.begin(), arrived.end());
  for (std::size_t start = 0; start < all.size(); start += kStatsBatch) {
    const std::vector<std::string> batch(
        all.begin() + static_cast<std::ptrdiff_t>(start),
        all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), start + kStatsBatch)));
    auto found = CommitsWithBuilds(target, batch);
    if (!found.ok()) {
      return found.status().WithContext("build statuses of " + target.repository.location);
    }
    ++counts.pages;
    with_builds.insert(with_builds.end(), found->begin(), found->end());
  }
  // Commits whose builds were still running are read again directly: they have builds.
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Pipeline> stored,
                            target.store.LoadPipelines(repo_id));
  for (const model::Pipeline& build : stored) {
    if (build.state != model::PipelineState::kCompleted && !arrived.contains(build.commit_sha) &&
        std::find(with_builds.begin(), with_builds.end(), build.commit_sha) == with_builds.end()) {
      with_builds.push_back(build.commit_sha);
    }
  }

  for (const std::string& sha : with_builds) {
    store::Transaction transaction(target.store);
    LEADLINE_RETURN_IF_ERROR(transaction.Begin());
    auto changed = SyncCommitBuilds(target, sha, counts);
    if (!changed.ok()) {
      return changed.status().WithContext("build statuses of " + target.repository.location);
    }
    LEADLINE_RETURN_IF_ERROR(transaction.Commit());
    counts.changed += *changed;
    if (target.on_page) target.on_page(counts);
  }
  nlohmann::json saved = {{"time", next.time}, {"shas", next.shas}};
  LEADLINE_RETURN_IF_ERROR(target.store.SaveCursor(repo_id, kBuildStatusesCursor, saved.dump()));
  return counts;
}

}  // namespace leadline::ingest
