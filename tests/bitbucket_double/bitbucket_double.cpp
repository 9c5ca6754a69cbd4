#include "bitbucket_double.h"

#include <httplib.h>

#include <mutex>
#include <stdexcept>
#include <vector>

#include "double_state.h"

namespace leadline::testing {

struct BitbucketDouble::Server {
  explicit Server(BitbucketDoubleConfig config) : state(std::move(config)) {}
  httplib::Server http;
  DoubleState state;
  std::mutex paths_mutex;
  std::vector<std::string> paths;  // every request's path, in arrival order
  // ChangeBefore's change, and how many more matching requests pass before it runs.
  std::string change_fragment;
  int change_countdown = 0;
  std::function<void()> change;
};

BitbucketDouble::BitbucketDouble(BitbucketDoubleConfig config)
    : server_(std::make_unique<Server>(config)), dc_context_path_(config.dc_context_path) {
  httplib::Server& http = server_->http;
  http.set_tcp_nodelay(true);

  // Faults come first, before any route: latency, then dropped connections, then error answers.
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    ++requests_;
    std::function<void()> change;
    {
      std::lock_guard lock(server_->paths_mutex);
      server_->paths.push_back(req.path);
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
        CloudError(res, 429, "Rate limit for this resource has been exceeded");
      } else {
        res.status = status;
        res.set_content("<html><body>Service unavailable</body></html>", "text/html");
      }
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  RegisterCloudRoutes(http, server_->state);
  RegisterDataCenterRoutes(http, server_->state);
  RegisterGitRoutes(http, server_->state);
  RegisterHookRoutes(http, server_->state);
  RegisterFeedbackRoutes(http, server_->state);
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      res.set_content("<html><head><title>Page not found</title></head></html>", "text/html");
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

BitbucketDouble::~BitbucketDouble() {
  server_->state.feedback.ReleaseHeld();
  server_->http.stop();
  thread_.join();
}

std::string BitbucketDouble::cloud_api_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/2.0";
}

std::string BitbucketDouble::dc_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + dc_context_path_;
}

void BitbucketDouble::FailNext(int count, int status, int pass_first) {
  fail_status_ = status;
  pass_before_failing_ = pass_first;
  fail_count_ = count;
}

void BitbucketDouble::DropNext(int count) { drop_count_ = count; }

void BitbucketDouble::SetLatency(std::chrono::milliseconds latency) {
  latency_ms_ = static_cast<int>(latency.count());
}

void BitbucketDouble::AddPullRequests(int count) { server_->state.AddPullRequests(count); }

std::size_t BitbucketDouble::activity_entries() const {
  return server_->state.ActivityStream(1)->size();
}

void BitbucketDouble::HideRepositories(int count) { server_->state.hidden_repositories = count; }

void BitbucketDouble::PublishComments(int number, int count, std::int64_t at) {
  server_->state.PublishComments(number, count, at);
}

void BitbucketDouble::ChangeBefore(const std::string& fragment, int nth,
                                   std::function<void()> change) {
  std::lock_guard lock(server_->paths_mutex);
  server_->change_fragment = fragment;
  server_->change_countdown = nth;
  server_->change = std::move(change);
}

void BitbucketDouble::AddPipelines(int count) { server_->state.AddPipelines(count); }

void BitbucketDouble::TriggerManualStep(int number, std::int64_t at) {
  server_->state.TriggerManualStep(number, at);
}

void BitbucketDouble::FinishPipelines() { server_->state.FinishPipelines(); }

std::vector<RegisteredHook> BitbucketDouble::hooks(const std::string& location) const {
  return server_->state.Hooks(location);
}

std::vector<std::string> BitbucketDouble::comments(const std::string& location, int number) const {
  std::vector<std::string> texts;
  for (const BoardComment& comment :
       server_->state.feedback.Comments(FeedbackBoard::Key(location, number))) {
    texts.push_back(comment.text);
  }
  return texts;
}
int BitbucketDouble::comment_edits(const std::string& location, int number) const {
  int edits = 0;
  for (const BoardComment& comment :
       server_->state.feedback.Comments(FeedbackBoard::Key(location, number))) {
    edits += comment.edits;
  }
  return edits;
}
std::string BitbucketDouble::report(const std::string& location, const std::string& commit,
                                    const std::string& key) const {
  const auto found = server_->state.feedback.ReportOn(location, commit, key);
  return found ? found->dump() : std::string();
}
void BitbucketDouble::FailFeedbackWrites(int count, int status, int retry_after) {
  server_->state.feedback.FailWrites(count, status, retry_after);
}
int BitbucketDouble::feedback_writes() const { return server_->state.feedback.writes(); }
void BitbucketDouble::HoldFeedbackWrite() { server_->state.feedback.HoldNextWrite(); }
bool BitbucketDouble::holding_feedback_write() const {
  return server_->state.feedback.HoldingWrite();
}
void BitbucketDouble::ReleaseFeedbackWrite() { server_->state.feedback.ReleaseHeld(); }
void BitbucketDouble::EditCommentElsewhere(const std::string& location, int number) {
  for (const BoardComment& comment :
       server_->state.feedback.Comments(FeedbackBoard::Key(location, number))) {
    server_->state.feedback.Bump(FeedbackBoard::Key(location, number), comment.id);
  }
}
int BitbucketDouble::requests_to(const std::string& fragment) const {
  std::lock_guard lock(server_->paths_mutex);
  int count = 0;
  for (const std::string& path : server_->paths) {
    if (path.find(fragment) != std::string::npos) ++count;
  }
  return count;
}

}  // namespace leadline::testing
