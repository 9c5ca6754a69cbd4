// The generated GitLab instance the double serves: groups, projects, and per project merge
// requests with their notes and approvals, pipelines, environments and deployments, in the field
// shapes of GitLab's REST API v4 (ISO 8601 UTC with milliseconds, numeric ids, nested users).
// Pure functions of the shape and of the git history (git_double/git_history.h), whose commits
// they name; every project serves the same history.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "git_double/git_history.h"

namespace leadline::testing {

struct GitLabShape {
  std::vector<std::string> projects;  // paths with namespace, e.g. "acme/platform/api"
  int merge_requests = 0;             // per project
  int pipelines = 0;                  // per project
  int deployments = 0;                // per project
  std::int64_t start = 1767225600;    // 2026-01-01T00:00:00Z
  // Merge requests come one pace apart, pipelines and deployments two (as in the Bitbucket
  // double's CloudWorkspaceShape).
  std::int64_t pace = 3600;
  std::string production_environment = "production";
  std::string production_tier = "production";  // empty: the field is left out
  std::string base_url;                        // "http://127.0.0.1:PORT" + relative root
};

struct GitLabGroup {
  int id = 0;
  std::string full_path;  // "acme/platform"
  int parent_id = 0;      // 0: a top-level group
};
struct GitLabProject {
  int id = 0;
  std::string path;  // "acme/platform/api"
  std::string namespace_path;
  std::string name;  // "api"
};
// Projects have ids from 101 in the order of `shape.projects`; groups (every namespace of a
// project, and its parents) from 11 in order of first mention.
std::vector<GitLabProject> Projects(const GitLabShape& shape);
std::vector<GitLabGroup> Groups(const GitLabShape& shape);
// The forks that fork merge requests come from: not visible to the double's tokens.
int ForkProjectId(int project_id);

// Merge request n: created a pace apart from the start, its commit a sixth of a pace earlier;
// every third is merged half a pace after it was opened, by a merge commit, or (every sixth)
// squashed, or (every ninth that is odd) fast-forwarded; of the rest every fifth is closed; the
// others are open, and every seventh of those is a draft; every eleventh comes from a fork.
Landing MergeRequestLanding(int iid);
bool MergeRequestDraft(int iid);
bool MergeRequestFromFork(int iid);
std::int64_t MergeRequestCreatedAt(const GitLabShape& shape, int iid);
std::int64_t MergeRequestUpdatedAt(const GitLabShape& shape, int iid);
void GrowGitLabHistory(GitHistory& history, const GitLabShape& shape);

// One listed row: its object and the keys lists sort and filter on.
struct Row {
  nlohmann::json object;
  std::int64_t id = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

nlohmann::json UserJson(const GitLabShape& shape, int id);  // 1: the developer; 2: the reviewer
nlohmann::json ProjectJson(const GitLabShape& shape, const GitLabProject& project, bool simple);
Row MergeRequest(const GitLabShape& shape, const GitHistory& history, const GitLabProject& project,
                 int iid);
// The same merge request's id and times without its object (cheap: for filtering and sorting a
// list before the page's objects are built), and its state ("opened", "closed", "merged").
Row MergeRequestKey(const GitLabShape& shape, const GitLabProject& project, int iid);
int MergeRequestIidOf(const GitLabProject& project, std::int64_t id);  // the key's iid
std::string MergeRequestState(int iid);
// Oldest first: user notes and system notes ("approved this merge request", "merged", labels).
std::vector<Row> MergeRequestNotes(const GitLabShape& shape, const GitLabProject& project, int iid);
nlohmann::json MergeRequestApprovals(const GitLabShape& shape, const GitLabProject& project,
                                     int iid);

// Pipeline j runs on main's tip two paces apart from the start, for five minutes; every sixth
// fails and the newest is still running.
Row Pipeline(const GitLabShape& shape, const GitHistory& history, const GitLabProject& project,
             int j);
// Production (tier `production_tier`) and staging (tier staging).
std::vector<Row> Environments(const GitLabShape& shape, const GitLabProject& project);
// Deployment k follows pipeline k on its commit, to staging (odd k) or production (even k);
// every fifth fails.
Row Deployment(const GitLabShape& shape, const GitHistory& history, const GitLabProject& project,
               int k);

// "2026-01-01T00:00:00.000Z"
std::string GitLabTime(std::int64_t t);

}  // namespace leadline::testing
