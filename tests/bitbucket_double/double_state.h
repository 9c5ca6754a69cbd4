// What the double's route handlers share: the configuration, the changes a test made since, the
// git histories, and small helpers for answering in Bitbucket's shapes. In the uniform workspace
// every repository has the same shape and history; in an organisation each has its own
// (organisation.h). Internal to the double; thread-safe.
#pragma once

#include <httplib.h>

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "bitbucket_double.h"
#include "cloud_workspace.h"
#include "common/base64.h"
#include "feedback_board.h"
#include "git_double/git_history.h"
#include "repository_histories.h"

namespace leadline::testing {

class DoubleState {
 public:
  explicit DoubleState(BitbucketDoubleConfig config);

  const BitbucketDoubleConfig& config() const { return config_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port.load()); }

  // Repository repo-`repo` as it is now.
  CloudWorkspaceShape Shape(int repo) const;
  // The commits its pull requests, pipelines and deployments name (waits until it is made).
  const GitHistory& history(int repo) const;
  // Its activity stream for its current shape (computed once per change).
  std::shared_ptr<const nlohmann::json> ActivityStream(int repo);

  void AddPullRequests(int count);
  void PublishComments(int number, int count, std::int64_t at);
  void FinishPipelines();
  void AddPipelines(int count);
  void TriggerManualStep(int number, std::int64_t at);
  // repo-1 .. repo-N the credentials can see: the last `hidden` are gone from listings and 404.
  int visible_repositories() const { return config_.repositories - hidden_repositories.load(); }

  std::atomic<int> hidden_repositories{0};

  // Webhooks by repository location; ids are made by `new_id`.
  std::vector<RegisteredHook> Hooks(const std::string& location) const;
  RegisteredHook AddHook(const std::string& location, RegisteredHook hook,
                         const std::function<std::string(int)>& new_id);
  bool UpdateHook(const std::string& location, RegisteredHook hook);  // false: no such hook
  bool RemoveHook(const std::string& location, const std::string& id);

  std::atomic<int> port{0};
  // What Leadline posted on pull requests (feedback_routes.cpp).
  FeedbackBoard feedback;

 private:
  CloudWorkspaceShape ShapeLocked(int repo, int more_pull_requests) const;
  // Adds the commits of `more` pull requests to every history, before any answer names them.
  void GrowHistories(int more);

  const BitbucketDoubleConfig config_;
  mutable std::mutex mutex_;
  int added_pull_requests_ = 0;
  std::map<int, CloudWorkspaceShape::PublishedComments> published_;
  bool pipelines_finished_ = false;
  int added_pipelines_ = 0;
  std::map<int, std::int64_t> triggered_;
  int version_ = 0;  // counts the changes: the cached streams are of one version
  int cached_for_ = -1;
  // The streams of the repositories last asked for (a listing pages through one repository at a
  // time; an organisation's every stream would hold tens of megabytes), newest last.
  static constexpr std::size_t kCachedStreams = 2;
  std::deque<std::pair<int, std::shared_ptr<const nlohmann::json>>> cached_streams_;
  std::map<std::string, std::vector<RegisteredHook>> hooks_;
  int hooks_made_ = 0;
  // One shared history in the uniform workspace; in an organisation, repo-i's at i - 1. Last: its
  // threads read the members above, and stop before they go.
  RepositoryHistories histories_;
};

void SendJson(httplib::Response& res, int status, const nlohmann::json& body);
// Cloud's error body.
void CloudError(httplib::Response& res, int status, const std::string& message,
                const nlohmann::json& detail = nullptr);
// Data Center's error body.
void DcError(httplib::Response& res, int status, const std::string& message,
             const nlohmann::json& exception_name);
// Which Cloud credentials a request carries ("api-token", "access-token", or "").
std::string CloudAuth(const BitbucketDoubleConfig& c, const httplib::Request& req);
// Whether a Cloud request may use `scope`; answers 401 or 403 (naming the scopes) when not.
bool CloudAllowed(const BitbucketDoubleConfig& c, const httplib::Request& req,
                  httplib::Response& res, const std::string& scope);
// Whether a Data Center request carries the HTTP access token; answers 401 when it does not.
bool DcAuthorized(const BitbucketDoubleConfig& c, const httplib::Request& req,
                  httplib::Response& res);
// An integer query parameter; `fallback` when absent, -1 when not a number.
int IntParam(const httplib::Request& req, const char* name, int fallback);

void RegisterCloudRoutes(httplib::Server& http, DoubleState& state);
void RegisterDataCenterRoutes(httplib::Server& http, DoubleState& state);
// git's smart HTTP (clone and fetch) for every repository, Cloud's and Data Center's.
void RegisterGitRoutes(httplib::Server& http, DoubleState& state);
// Cloud's /hooks and Data Center's /webhooks of each repository (hook_routes.cpp).
void RegisterHookRoutes(httplib::Server& http, DoubleState& state);
// Comments and Code Insights reports on pull requests (feedback_routes.cpp).
void RegisterFeedbackRoutes(httplib::Server& http, DoubleState& state);
// The comments posted on Data Center pull request `number` of `location` ("PROJ/repo-1"), as
// COMMENTED activities, newest first.
nlohmann::json DcCommentActivities(const DoubleState& state, const std::string& location,
                                   int number);

}  // namespace leadline::testing
