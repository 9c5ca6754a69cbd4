// Test doubles for the http folder's tests: a scripted HttpClient and a clock that only moves
// when someone sleeps. Tests only. The client may be sent requests from several threads at once
// (a feed's details are fetched so); scripting it and reading `sent` are for one thread while
// no request is under way. The clock is not thread-safe.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "http/http_client.h"

namespace leadline::http::testing {

// Answers requests from a script: per URL, a queue of answers (the last one repeats).
class ScriptedClient final : public HttpClient {
 public:
  void Answer(const std::string& url, common::Result<HttpResponse> answer) {
    script_[url].push_back(std::move(answer));
  }
  void Answer(const std::string& url, int status, std::string body,
              std::map<std::string, std::string> headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    for (auto& [name, value] : headers) response.headers[name] = value;
    Answer(url, common::Result<HttpResponse>(std::move(response)));
  }

  common::Result<HttpResponse> Send(const HttpRequest& request) override {
    std::lock_guard lock(*mutex_);
    sent.push_back(request.url);
    auto it = script_.find(request.url);
    if (it == script_.end()) {
      return common::Status::Internal("the script has no answer for " + request.url);
    }
    common::Result<HttpResponse> answer = it->second.front();
    if (it->second.size() > 1) it->second.pop_front();
    return answer;
  }

  std::vector<std::string> sent;

 private:
  std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();  // movable
  std::map<std::string, std::deque<common::Result<HttpResponse>>> script_;
};

class FakeClock final : public common::Clock {
 public:
  TimePoint Now() override { return now_; }
  void SleepFor(Duration duration) override {
    now_ += duration;
    slept += duration;
  }
  Duration slept{0};

 private:
  TimePoint now_{};
};

}  // namespace leadline::http::testing
