// BitbucketDouble: a local stand-in for Bitbucket Cloud (REST 2.0) and Bitbucket Data Center
// (REST 1.0) on a real loopback port, for tests and demos (never part of the product). It speaks
// the real shapes: Cloud's {values, next, size} pages and error bodies, Data Center's
// {values, isLastPage, nextPageStart} pages, its unauthenticated application-properties, an
// optional context path; it checks credentials and scopes the way the real services do
// (app passwords are refused since 2026-06-09), and can answer with 429s or 5xx on demand. It
// keeps what is posted on pull requests: comments and Code Insights reports (feedback_routes.cpp).
// Thread-safe: requests are served on the server's threads while tests read counters.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace leadline::testing {

// A webhook registered on a repository through the API.
struct RegisteredHook {
  std::string id;  // Cloud: "{uuid}"; Data Center: a number
  std::string url;
  std::string secret;
  std::vector<std::string> events;
};

struct BitbucketDoubleConfig {
  int port = 0;  // on 127.0.0.1; 0 for any free port
  std::string workspace = "acme";
  int repositories = 3;          // named repo-1 .. repo-N, in project PROJ
  bool cloud_sends_size = true;  // Cloud's `size` is optional: real pages sometimes omit it
  // Per repository; see cloud_workspace.h for what they look like.
  int pull_requests_per_repo = 0;
  int pipelines_per_repo = 0;
  int deployments_per_repo = 0;
  std::int64_t history_start = 1767225600;  // 2026-01-01T00:00:00Z
  std::int64_t pace_seconds = 3600;         // see CloudWorkspaceShape::pace
  bool organisation = false;                // see CloudWorkspaceShape::organisation
  bool manual_production = false;           // see CloudWorkspaceShape::manual_production
  // Cloud lists a merged pull request's commits after its branch is deleted (all but every 30th:
  // cloud_workspace.h); false: it lists none of any merged pull request's.
  bool cloud_keeps_branch_commits = true;
  int failing_commits_list = 0;  // the pull request whose commits list answers 500; 0: none
  // Cloud: API tokens (Basic with the account e-mail) and access tokens (Bearer).
  std::string email = "dev@example.com";
  std::string nickname = "devnick";
  std::string api_token = "cloud-api-token";
  std::string access_token = "cloud-access-token";
  std::set<std::string> granted_scopes = {"read:user:bitbucket",        "read:repository:bitbucket",
                                          "read:pullrequest:bitbucket", "read:pipeline:bitbucket",
                                          "read:webhook:bitbucket",     "write:webhook:bitbucket"};
  // Data Center: HTTP access tokens (Bearer), served under `dc_context_path` (e.g. "/bitbucket").
  std::string dc_token = "dc-http-token";
  std::string dc_username = "dc-user";
  std::string dc_context_path;
  // How many repositories (the first ones) the Data Center token may write to, as listed with
  // permission=REPO_WRITE; -1: every one. Feedback written to the others is answered 401
  // (AuthorisationException), as Data Center answers a user without the permission.
  int dc_writable_repositories = -1;
};

class BitbucketDouble {
 public:
  explicit BitbucketDouble(BitbucketDoubleConfig config = {});
  ~BitbucketDouble();
  BitbucketDouble(const BitbucketDouble&) = delete;
  BitbucketDouble& operator=(const BitbucketDouble&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT/2.0"
  std::string cloud_api_url() const;
  // "http://127.0.0.1:PORT" + the context path
  std::string dc_url() const;

  // The next `count` requests (of any kind) are answered with `status` (429 or 5xx), after
  // `pass_first` more requests have been answered normally.
  void FailNext(int count, int status, int pass_first = 0);
  // The next `count` requests get their headers and then a closed connection (a dropped
  // connection mid-answer).
  void DropNext(int count);
  // Every request waits this long before it is answered.
  void SetLatency(std::chrono::milliseconds latency);

  // The workspace changes: each repository gets `count` more pull requests (with activity), and
  // the running pipelines finish.
  void AddPullRequests(int count);
  // A reviewer publishes `count` pending comments on pull request `number` at once, at `at`: the
  // pull request's updated_on becomes `at` and its activity gains the comments (each its own id,
  // all of one second). Replaces an earlier batch on the same pull request.
  void PublishComments(int number, int count, std::int64_t at);
  void FinishPipelines();
  // Each repository runs `count` more pipelines, each with its deployment (see CloudDeployments).
  void AddPipelines(int count);
  // Someone runs the manual production step of pipeline `number` (even, paused) at `at`: the
  // pipeline completes and its production deployment starts then.
  void TriggerManualStep(int number, std::int64_t at);
  // The credentials lose access to the last `count` repositories: listings leave them out and
  // their routes answer 404.
  void HideRepositories(int count);

  // Runs `change` just before the `nth` request (from 1) whose path contains `fragment` is
  // answered: the workspace changes between two pages of a listing. One change at a time.
  void ChangeBefore(const std::string& fragment, int nth, std::function<void()> change);

  // How many entries repo-1's activity stream holds now (in the uniform workspace, every
  // repository's).
  std::size_t activity_entries() const;

  // The hooks registered on `location` ("acme/repo-1" or "PROJ/repo-1"), oldest first.
  std::vector<RegisteredHook> hooks(const std::string& location) const;

  // What was posted on pull request `number` of `location` ("acme/repo-1", "PROJ/repo-1"): the
  // comments' texts, oldest first, and how many edits they had in all.
  std::vector<std::string> comments(const std::string& location, int number) const;
  int comment_edits(const std::string& location, int number) const;
  // The Code Insights report `key` on the commit whose hash starts with `commit`, as last put
  // (JSON text); "" when none. Reports are put on commits named in full.
  std::string report(const std::string& location, const std::string& commit,
                     const std::string& key) const;
  // The next `count` comment and report writes answer `status` (with `Retry-After: retry_after`
  // when it is positive); writes answered successfully.
  void FailFeedbackWrites(int count, int status, int retry_after = 0);
  int feedback_writes() const;
  // The next comment or report write waits until ReleaseFeedbackWrite() (then goes on as usual);
  // holding_feedback_write(): one waits now. The double's end releases it.
  void HoldFeedbackWrite();
  bool holding_feedback_write() const;
  void ReleaseFeedbackWrite();
  // Someone edits the Data Center comments of a pull request: their versions move on.
  void EditCommentElsewhere(const std::string& location, int number);

  int requests() const { return requests_.load(); }
  // Requests whose path contains `fragment`, e.g. "/pullrequests/activity".
  int requests_to(const std::string& fragment) const;

 private:
  struct Server;
  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::string dc_context_path_;
  std::thread thread_;
  std::atomic<int> requests_{0};
  std::atomic<int> fail_count_{0};
  std::atomic<int> fail_status_{0};
  std::atomic<int> pass_before_failing_{0};
  std::atomic<int> drop_count_{0};
  std::atomic<int> latency_ms_{0};
};

}  // namespace leadline::testing
