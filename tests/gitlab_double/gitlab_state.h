// What the GitLab double's route handlers share: the configuration, the changes a test made
// since (time advanced, tokens changed, hooks registered), and helpers for answering in GitLab's
// shapes: error bodies, token checks, offset and keyset pages. Internal to the double.
// GitLabState is thread-safe; the helpers are pure apart from the response they write.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "git_double/git_history.h"
#include "gitlab_double.h"
#include "gitlab_shape.h"

namespace leadline::testing {

class GitLabState {
 public:
  explicit GitLabState(GitLabDoubleConfig config);

  const GitLabDoubleConfig& config() const { return config_; }
  // "http://127.0.0.1:PORT" + the relative URL root.
  std::string url() const;

  // The instance as it is now.
  GitLabShape Shape() const;
  const GitHistory& history() const { return history_; }
  void Advance(int count);

  std::optional<GitLabToken> FindToken(const std::string& value) const;
  void SetToken(const GitLabToken& token);

  std::vector<GitLabHook> Hooks(const std::string& project_path) const;
  GitLabHook AddHook(const std::string& project_path, GitLabHook hook);  // gives it an id
  bool RemoveHook(const std::string& project_path, int id);              // false: no such hook
  // Replaces hook `id` with `hook` (keeping the token when `hook` has none); false: no such hook.
  bool UpdateHook(const std::string& project_path, int id, GitLabHook hook);

  // Notes posted through the API on merge request `iid` of `project` (note_routes.cpp).
  Row AddNote(const GitLabProject& project, int iid, const std::string& body, std::int64_t at);
  // nullopt: no such posted note.
  std::optional<Row> EditNote(const GitLabProject& project, int iid, std::int64_t id,
                              const std::string& body, std::int64_t at);
  std::vector<Row> PostedNotes(const std::string& project_path, int iid) const;
  int NoteEdits(const std::string& project_path, int iid) const;

  std::atomic<int> port{0};

 private:
  const GitLabDoubleConfig config_;
  GitHistory history_;
  mutable std::mutex mutex_;
  int advanced_ = 0;
  std::vector<GitLabToken> tokens_;
  std::map<std::string, std::vector<GitLabHook>> hooks_;
  int hooks_made_ = 0;
  std::map<std::string, std::vector<Row>> notes_;  // by "path!iid"
  std::map<std::string, int> note_edits_;
  std::int64_t notes_made_ = 0;
};

void SendGitLabJson(httplib::Response& res, int status, const nlohmann::json& body);
// GitLab's {"message": "404 Project Not Found"} and {"error": "page is invalid"} bodies.
void SendMessage(httplib::Response& res, int status, const std::string& message);
void SendError(httplib::Response& res, int status, const std::string& error);

// The token a request carries (PRIVATE-TOKEN, Authorization: Bearer, or private_token=), if it
// is known, active and holds one of `scopes` (none: any active token). Otherwise answers as
// GitLab does: 401 for a missing, unknown, expired or revoked token, 403 insufficient_scope.
std::optional<GitLabToken> Authorize(const GitLabState& state, const httplib::Request& req,
                                     httplib::Response& res,
                                     const std::vector<std::string>& scopes);
// Not revoked, and not past its expiry date.
bool TokenActive(const GitLabToken& token);
// Whether `token` may see the project at `path`.
bool Reaches(const GitLabToken& token, const std::string& path);
// The user behind a token, as GET /user shows it.
nlohmann::json TokenUser(const GitLabState& state, const GitLabToken& token);

// One page of `rows` (all of them, in order) with GitLab's offset headers (x-page, x-per-page,
// x-next-page, x-prev-page, x-total, x-total-pages, Link), or 400 for a bad page or per_page.
// `object_of`, when given, builds each sent row's object (rows listed by key only).
void SendOffsetPage(const GitLabState& state, const httplib::Request& req, httplib::Response& res,
                    const std::vector<Row>& rows,
                    const std::function<nlohmann::json(const Row&)>& object_of = nullptr);
// One keyset page of `rows` (in id order, ascending or descending as `sort` asks) after the
// `id_after` or `id_before` cursor, with only Link rel="next".
void SendKeysetPage(const GitLabState& state, const httplib::Request& req, httplib::Response& res,
                    const std::vector<Row>& rows);

// Sorts `rows` by `order_by` ("id", "created_at" or "updated_at"; ties by id), descending when
// `sort` is "desc" (else `descending_by_default`); false for another order_by or sort.
bool SortRows(std::vector<Row>& rows, const httplib::Request& req, const std::string& order_by,
              bool descending_by_default);
// Drops the rows outside `{field}_after` .. `{field}_before` (both inclusive); false (having
// answered 400) when one is not an ISO 8601 time.
bool FilterByTime(std::vector<Row>& rows, const httplib::Request& req, httplib::Response& res,
                  const std::string& field);

// A request on the API: its endpoint's template and the ids in its path.
struct ApiCall {
  const httplib::Request& req;
  httplib::Response& res;
  std::vector<std::string> ids;  // decoded, in path order
  GitLabToken token;
  GitLabProject project;  // routes under /projects/:id
};
struct ApiRoute {
  std::vector<std::string> scopes;  // one of them is needed; none: any active token
  std::function<void(ApiCall&)> handle;
};
// By template, e.g. "GET /projects/:id/merge_requests".
using ApiRoutes = std::map<std::string, ApiRoute>;

// The endpoint template of a request ("GET /projects/:id", "GET /:project.git/info/refs"), and
// the decoded ids of an API path; "" for a path outside the instance.
std::string EndpointOf(const std::string& root, const std::string& method,
                       const std::string& raw_path, std::vector<std::string>* ids = nullptr);

// /version, /user, /personal_access_tokens/self, /projects, /projects/:id, /groups/:id/projects.
void AddInstanceRoutes(ApiRoutes& routes, GitLabState& state);
// Merge requests, notes, approvals, pipelines, environments, deployments of a project.
void AddProjectRoutes(ApiRoutes& routes, GitLabState& state);
// /projects/:id/hooks.
void AddHookRoutes(ApiRoutes& routes, GitLabState& state);
// Posting and editing merge request notes (note_routes.cpp).
void AddNoteRoutes(ApiRoutes& routes, GitLabState& state);
// Serves `routes` under the relative root's /api/v4 (gitlab_router.cpp).
void RegisterApi(httplib::Server& http, GitLabState& state, ApiRoutes routes);
// git's smart HTTP at /<path>.git with Basic auth, the token as password.
void RegisterGitRoutes(httplib::Server& http, GitLabState& state);

}  // namespace leadline::testing
