#include "http/curl_http_client.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace leadline::http {
namespace {

// A real HTTP server on a free loopback port, for the length of a test.
class LocalServer {
 public:
  explicit LocalServer(const std::function<void(httplib::Server&)>& routes) {
    routes(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LocalServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

HttpRequest Get(const std::string& url, Credentials credentials = {}) {
  HttpRequest request;
  request.url = url;
  request.credentials = std::move(credentials);
  return request;
}

TEST(CurlHttpClient, SendsBasicAuthAndReadsTheAnswer) {
  LocalServer server([](httplib::Server& s) {
    s.Get("/2.0/user", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-RateLimit-Limit", "1000");
      res.set_content("{\"auth\":\"" + req.get_header_value("Authorization") + "\"}",
                      "application/json");
    });
  });
  CurlHttpClient client;
  auto response =
      client.Send(Get(server.Url("/2.0/user"), Credentials::Basic("ada@example.com", "tok3n")));
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->status, 200);
  // base64("ada@example.com:tok3n")
  EXPECT_EQ(response->body, "{\"auth\":\"Basic YWRhQGV4YW1wbGUuY29tOnRvazNu\"}");
  EXPECT_EQ(response->Header("x-ratelimit-limit"), "1000");
  EXPECT_EQ(response->Header("Content-Type"), "application/json");
}

// Calls from several threads at once each get their own answer, and connections are kept open
// between calls (libcurl must not share one connection cache between threads at once: it did,
// and corrupted the heap under a sync's four concurrent requests).
TEST(CurlHttpClient, CallsFromSeveralThreadsAtOnceGetTheirAnswersOverReusedConnections) {
  std::mutex mutex;
  std::set<int> client_ports;
  LocalServer server([&](httplib::Server& s) {
    s.set_keep_alive_max_count(1000);  // httplib closes a connection after 5 requests otherwise
    s.Get(R"(/echo/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mutex);
        client_ports.insert(req.remote_port);
      }
      res.set_content(req.matches[1].str(), "text/plain");
    });
  });
  CurlHttpClient client;
  constexpr int kThreads = 4, kEach = 30;
  std::atomic<int> wrong = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string n = std::to_string(t * kEach + i);
        auto response = client.Send(Get(server.Url("/echo/" + n)));
        if (!response.ok() || response->body != n) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong, 0);
  // A connection per handle in use at once, not one per call.
  EXPECT_LE(client_ports.size(), 2u * kThreads) << client_ports.size();
}

TEST(CurlHttpClient, SendsBearerTokensHeadersAndBodies) {
  LocalServer server([](httplib::Server& s) {
    s.Post("/hooks", [](const httplib::Request& req, httplib::Response& res) {
      res.status = 201;
      res.set_content(req.get_header_value("Authorization") + "|" +
                          req.get_header_value("X-Custom") + "|" + req.body,
                      "text/plain");
    });
  });
  CurlHttpClient client;
  HttpRequest request = Get(server.Url("/hooks"), Credentials::Bearer("abc.def"));
  request.method = "POST";
  request.headers = {{"X-Custom", "yes"}, {"Content-Type", "application/json"}};
  request.body = "{\"url\":\"x\"}";
  auto response = client.Send(request);
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, "Bearer abc.def|yes|{\"url\":\"x\"}");
}

TEST(CurlHttpClient, ErrorStatusesAreResponsesNotFailures) {
  LocalServer server([](httplib::Server& s) {
    s.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content("{\"type\":\"error\"}", "application/json");
    });
  });
  CurlHttpClient client;
  auto response = client.Send(Get(server.Url("/missing")));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 404);
  EXPECT_FALSE(response->ok());
}

TEST(CurlHttpClient, RefusedConnectionIsUnavailableAndKeepsSecretsOut) {
  int port = 0;
  {
    LocalServer closed([](httplib::Server&) {});
    port = std::stoi(closed.Url("").substr(17));  // "http://127.0.0.1:" is 17 characters
  }                                               // stopped: nothing listens on the port now
  CurlHttpClient client;
  auto response = client.Send(
      Get("http://user:hunter2@127.0.0.1:" + std::to_string(port) + "/x?access_token=hunter2",
          Credentials::Basic("user", "hunter2")));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), common::StatusCode::kUnavailable);
  EXPECT_NE(response.status().message().find("cannot connect"), std::string::npos)
      << response.status().message();
  EXPECT_EQ(response.status().message().find("hunter2"), std::string::npos)
      << response.status().message();
}

TEST(CurlHttpClient, AnAnswerLargerThanTheLimitIsAnError) {
  LocalServer server([](httplib::Server& s) {
    s.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(300'000, 'x'), "text/plain");
    });
  });
  CurlOptions options;
  options.max_response_bytes = 100'000;
  CurlHttpClient client(options);
  auto refused = client.Send(Get(server.Url("/big")));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("larger than 100000 bytes"), std::string::npos)
      << refused.status().message();
  options.max_response_bytes = 300'000;
  CurlHttpClient roomy(options);
  auto answered = roomy.Send(Get(server.Url("/big")));
  ASSERT_TRUE(answered.ok()) << answered.status().message();
  EXPECT_EQ(answered->body.size(), 300'000u);
}

TEST(CurlHttpClient, SlowServerTimesOut) {
  LocalServer server([](httplib::Server& s) {
    s.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.set_content("late", "text/plain");
    });
  });
  CurlOptions options;
  options.total_timeout = std::chrono::milliseconds(200);
  CurlHttpClient client(options);
  auto response = client.Send(Get(server.Url("/slow")));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), common::StatusCode::kUnavailable);
  EXPECT_NE(response.status().message().find("no answer"), std::string::npos)
      << response.status().message();
}

}  // namespace
}  // namespace leadline::http
