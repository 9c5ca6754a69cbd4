// GitLabDouble: a local stand-in for GitLab (REST API v4, GitLab.com or self-managed under a
// relative URL root) on a real loopback port, for tests and demos (never part of the product).
// It serves groups, projects, merge requests with notes (and takes notes posted on them) and
// approvals, pipelines, environments, deployments and project hooks in GitLab's shapes, with its
// offset and keyset paging; it checks tokens and their scopes, expiry and revocation the way GitLab
// does; it serves each project's repository over git's smart HTTP (the token as password), and the
// merge requests name that history's commits. It can answer with 429s (with GitLab's RateLimit
// headers) or 5xx on demand. Thread-safe: requests are served on the server's threads while tests
// read counters.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace leadline::testing {

// A personal, project or group access token.
struct GitLabToken {
  std::string value;
  std::string name;
  std::set<std::string> scopes;  // api, read_api, read_user, read_repository, ...
  std::string expires_at;        // "2027-01-31" (GitLab's date; expired from that day); "": never
  bool revoked = false;
  bool bot = false;   // a project or group access token, whose user is a bot
  std::string reach;  // the project or group path it is limited to; "": every project
};

// A hook registered on a project through the API.
struct GitLabHook {
  int id = 0;
  std::string url;
  std::string token;  // the secret GitLab sends back as X-Gitlab-Token
  bool push_events = true;
  bool merge_requests_events = false;
  bool pipeline_events = false;
  bool deployment_events = false;
  bool note_events = false;
};

struct GitLabDoubleConfig {
  int port = 0;                   // on 127.0.0.1; 0 for any free port
  std::string relative_url_root;  // "/gitlab" for a self-managed install under a path; "" else
  std::vector<std::string> projects = {"acme/web", "acme/platform/api", "acme/platform/worker"};
  // Per project; see gitlab_shape.h for what they look like.
  int merge_requests_per_project = 0;
  int pipelines_per_project = 0;
  int deployments_per_project = 0;
  std::int64_t history_start = 1767225600;  // 2026-01-01T00:00:00Z
  std::int64_t pace_seconds = 3600;         // see GitLabShape::pace
  std::string production_environment = "production";
  std::string production_tier = "production";  // "" leaves `tier` out (an untiered environment)
  std::string version = "17.5.1-ee";
  // Listings longer than this leave out x-total, x-total-pages and rel="last" (GitLab: 10,000).
  int total_count_limit = 10000;
  int retry_after_seconds = 1;  // on injected 429s
  std::vector<GitLabToken> tokens = {{"glpat-personal-token",
                                      "leadline",
                                      {"api", "read_api", "read_user", "read_repository"},
                                      "2099-12-31",
                                      false,
                                      false,
                                      ""},
                                     {"glpat-project-bot-token",
                                      "leadline-bot",
                                      {"read_api", "read_repository"},
                                      "2099-12-31",
                                      false,
                                      true,
                                      "acme/platform/api"}};
};

class GitLabDouble {
 public:
  explicit GitLabDouble(GitLabDoubleConfig config = {});
  ~GitLabDouble();
  GitLabDouble(const GitLabDouble&) = delete;
  GitLabDouble& operator=(const GitLabDouble&) = delete;

  int port() const { return port_; }
  // The instance root, "http://127.0.0.1:PORT" + the relative URL root (what `--url` takes).
  std::string url() const;
  // url() + "/api/v4"
  std::string api_url() const;
  // url() + "/" + path + ".git"
  std::string clone_url(const std::string& project_path) const;

  // The next `count` requests (of any kind) are answered with `status` (429 or 5xx), after
  // `pass_first` more requests have been answered normally.
  void FailNext(int count, int status, int pass_first = 0);
  // The next `count` requests get their headers and then a closed connection.
  void DropNext(int count);
  // Every request waits this long before it is answered.
  void SetLatency(std::chrono::milliseconds latency);
  // Runs `change` just before the `nth` request (from 1) whose path contains `fragment` is
  // answered: the instance changes between two pages of a listing. One change at a time.
  void ChangeBefore(const std::string& fragment, int nth, std::function<void()> change);

  // Time passes: each project gets `count` more merge requests, pipelines and deployments (the
  // pipeline that was running finishes).
  void Advance(int count);
  // Replaces the token whose value is `token.value` (or adds it): tests expire, revoke or narrow
  // tokens.
  void SetToken(const GitLabToken& token);

  // The hooks registered on project `path`, oldest first.
  std::vector<GitLabHook> hooks(const std::string& project_path) const;

  // The notes posted through the API on merge request `iid` of project `path` (their bodies,
  // oldest first), and how many edits they had in all.
  std::vector<std::string> notes(const std::string& project_path, int iid) const;
  int note_edits(const std::string& project_path, int iid) const;

  int requests() const { return requests_.load(); }
  // Requests whose (decoded) path contains `fragment`.
  int requests_to(const std::string& fragment) const;
  // Requests by endpoint: "GET /projects/:id/merge_requests", "GET /:project.git/info/refs", ...
  std::map<std::string, int> requests_by_endpoint() const;

 private:
  struct Server;
  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> requests_{0};
  std::atomic<int> fail_count_{0};
  std::atomic<int> fail_status_{0};
  std::atomic<int> pass_before_failing_{0};
  std::atomic<int> drop_count_{0};
  std::atomic<int> latency_ms_{0};
};

}  // namespace leadline::testing
