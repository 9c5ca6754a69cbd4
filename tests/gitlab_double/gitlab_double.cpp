#include "gitlab_double.h"

#include <httplib.h>
#include <time.h>

#include <mutex>
#include <stdexcept>

#include "common/time.h"
#include "gitlab_state.h"

namespace leadline::testing {
namespace {

// GitLab.com's throttle answer: plain text, with its RateLimit headers and Retry-After.
void RateLimited(httplib::Response& res, int retry_after) {
  const std::int64_t reset = common::NowUnixSeconds() + retry_after;
  const time_t reset_time = static_cast<time_t>(reset);
  struct tm parts;
  gmtime_r(&reset_time, &parts);
  char http_date[64];
  strftime(http_date, sizeof(http_date), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  res.status = 429;
  res.set_header("RateLimit-Name", "throttle_authenticated_api");
  res.set_header("RateLimit-Limit", "2000");
  res.set_header("RateLimit-Observed", "2001");
  res.set_header("RateLimit-Remaining", "0");
  res.set_header("RateLimit-Reset", std::to_string(reset));
  res.set_header("RateLimit-ResetTime", http_date);
  res.set_header("Retry-After", std::to_string(retry_after));
  res.set_content("Retry later\n", "text/plain");
}

}  // namespace

struct GitLabDouble::Server {
  explicit Server(GitLabDoubleConfig config) : state(std::move(config)) {}
  httplib::Server http;
  GitLabState state;
  mutable std::mutex paths_mutex;
  std::vector<std::string> paths;        // every request's path, in arrival order
  std::map<std::string, int> endpoints;  // requests by endpoint template
  // ChangeBefore's change, and how many more matching requests pass before it runs.
  std::string change_fragment;
  int change_countdown = 0;
  std::function<void()> change;
};

GitLabDouble::GitLabDouble(GitLabDoubleConfig config) : server_(std::make_unique<Server>(config)) {
  httplib::Server& http = server_->http;
  http.set_tcp_nodelay(true);

  // Faults come first, before any route: latency, then dropped connections, then error answers.
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    ++requests_;
    std::function<void()> change;
    {
      std::lock_guard lock(server_->paths_mutex);
      server_->paths.push_back(req.path);
      const std::string endpoint = EndpointOf(server_->state.config().relative_url_root, req.method,
                                              req.target.substr(0, req.target.find('?')));
      ++server_->endpoints[endpoint.empty() ? req.method + " (other)" : endpoint];
      if (server_->change && req.path.find(server_->change_fragment) != std::string::npos &&
          --server_->change_countdown == 0) {
        change = std::move(server_->change);
        server_->change = nullptr;
      }
    }
    if (change) change();
    if (const int latency = latency_ms_.load(); latency > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(latency));
    }
    if (drop_count_.load() > 0 && drop_count_.fetch_sub(1) > 0) {
      // Promises a body, then closes the connection without sending it.
      res.set_content_provider(1024, "application/json",
                               [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
      return httplib::Server::HandlerResponse::Handled;
    }
    if (fail_count_.load() > 0 && pass_before_failing_.fetch_sub(1) <= 0 &&
        fail_count_.fetch_sub(1) > 0) {
      const int status = fail_status_.load();
      if (status == 429) {
        RateLimited(res, server_->state.config().retry_after_seconds);
      } else {
        res.status = status;
        res.set_content("<html><body><h1>" + std::to_string(status) +
                            "</h1>Whoops, GitLab is taking too much time to respond.</body></html>",
                        "text/html");
      }
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  ApiRoutes routes;
  AddInstanceRoutes(routes, server_->state);
  AddProjectRoutes(routes, server_->state);
  AddHookRoutes(routes, server_->state);
  AddNoteRoutes(routes, server_->state);
  RegisterApi(http, server_->state, std::move(routes));
  RegisterGitRoutes(http, server_->state);
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      res.set_content("<html><head><title>Not Found (404)</title></head></html>", "text/html");
    }
  });

  port_ = config.port == 0 ? http.bind_to_any_port("127.0.0.1")
                           : (http.bind_to_port("127.0.0.1", config.port) ? config.port : -1);
  if (port_ <= 0) {
    throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(config.port));
  }
  server_->state.port = port_;
  thread_ = std::thread([this] { server_->http.listen_after_bind(); });
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

GitLabDouble::~GitLabDouble() {
  server_->http.stop();
  thread_.join();
}

std::string GitLabDouble::url() const { return server_->state.url(); }

std::string GitLabDouble::api_url() const { return url() + "/api/v4"; }

std::string GitLabDouble::clone_url(const std::string& project_path) const {
  return url() + "/" + project_path + ".git";
}

void GitLabDouble::FailNext(int count, int status, int pass_first) {
  fail_status_ = status;
  pass_before_failing_ = pass_first;
  fail_count_ = count;
}

void GitLabDouble::DropNext(int count) { drop_count_ = count; }

void GitLabDouble::SetLatency(std::chrono::milliseconds latency) {
  latency_ms_ = static_cast<int>(latency.count());
}

void GitLabDouble::ChangeBefore(const std::string& fragment, int nth,
                                std::function<void()> change) {
  std::lock_guard lock(server_->paths_mutex);
  server_->change_fragment = fragment;
  server_->change_countdown = nth;
  server_->change = std::move(change);
}

void GitLabDouble::Advance(int count) { server_->state.Advance(count); }

void GitLabDouble::SetToken(const GitLabToken& token) { server_->state.SetToken(token); }

std::vector<GitLabHook> GitLabDouble::hooks(const std::string& project_path) const {
  return server_->state.Hooks(project_path);
}

int GitLabDouble::requests_to(const std::string& fragment) const {
  std::lock_guard lock(server_->paths_mutex);
  int count = 0;
  for (const std::string& path : server_->paths) {
    if (path.find(fragment) != std::string::npos) ++count;
  }
  return count;
}

std::map<std::string, int> GitLabDouble::requests_by_endpoint() const {
  std::lock_guard lock(server_->paths_mutex);
  return server_->endpoints;
}

std::vector<std::string> GitLabDouble::notes(const std::string& project_path, int iid) const {
  std::vector<std::string> bodies;
  for (const Row& row : server_->state.PostedNotes(project_path, iid)) {
    bodies.push_back(row.object["body"].get<std::string>());
  }
  return bodies;
}

int GitLabDouble::note_edits(const std::string& project_path, int iid) const {
  return server_->state.NoteEdits(project_path, iid);
}

}  // namespace leadline::testing
