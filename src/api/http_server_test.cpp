// The HTTP server in process, on a loopback port, driven through raw connections where the test is
// about bytes on the wire (pipelining, slow clients, chunked bodies) and cpp-httplib's client
// elsewhere.
#include "api/http_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/responses.h"
#include "testing/raw_connection.h"

namespace leadline::api {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

using testing::Gzip;
using RawClient = testing::RawConnection;

bool IsPrintableAscii(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// The options of these tests: a small body limit, to reach it cheaply.
ServerOptions SmallOptions() {
  ServerOptions options;
  options.max_body_bytes = 64 * 1024;
  return options;
}

struct Observed {
  std::string route, refusal, path, address;
  int status = 0;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(ServerOptions options = SmallOptions()) {
    options.port = 0;
    server_ = std::make_unique<HttpServer>(options);
    server_->Route("GET", "/hello", [](const HttpRequest& request) {
      HttpResponse response;
      response.body =
          "hello " + request.Query("name").value_or("you") + " from " + request.remote_address;
      response.content_type = "text/plain";
      return response;
    });
    server_->Route("POST", "/echo", [](const HttpRequest& request) {
      HttpResponse response;
      response.body = request.body;
      return response;
    });
    server_->Route(
        "POST", "/echo-gzip",
        [](const HttpRequest& request) {
          HttpResponse response;
          response.body = request.body;
          return response;
        },
        RouteOptions{.accepts_gzip = true});
    server_->Route("GET", "/slow", [this](const HttpRequest& request) {
      ++slow_started_;
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::stoi(request.Query("ms").value_or("300"))));
      HttpResponse response;
      response.body = "slow " + request.Query("n").value_or("");
      return response;
    });
    server_->Route("POST", "/items/{id}", [](const HttpRequest& request) {
      HttpResponse response;
      response.body = "item " + request.path.substr(7);
      return response;
    });
    server_->Route("POST", "/items/all", [](const HttpRequest&) {
      HttpResponse response;
      response.body = "all items";
      return response;
    });
    server_->Route("GET", "/throw",
                   [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("a bug"); });
    server_->SetObserver([this](const HttpRequest& request, const HttpResponse& response,
                                const std::string& route, double) {
      std::lock_guard lock(mutex_);
      observed_.push_back(
          {route, response.refusal, request.path, request.remote_address, response.status});
    });
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().message();
    port_ = *port;
    serving_ = std::thread([this] { served_ = server_->Serve(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (serving_.joinable()) serving_.join();
  }
  std::vector<Observed> ObservedSoFar() {
    std::lock_guard lock(mutex_);
    return observed_;
  }
  // Waits until the observer has seen `count` requests.
  std::vector<Observed> WaitObserved(std::size_t count) {
    for (int i = 0; i < 200 && ObservedSoFar().size() < count; ++i)
      std::this_thread::sleep_for(10ms);
    return ObservedSoFar();
  }

  std::unique_ptr<HttpServer> server_;
  std::thread serving_;
  common::Status served_;
  int port_ = 0;
  std::atomic<int> slow_started_ = 0;
  std::mutex mutex_;
  std::vector<Observed> observed_;
};

TEST_F(HttpServerTest, AnswersRoutesAndTellsTheObserver) {
  Start();
  httplib::Client client("127.0.0.1", port_);
  auto hello = client.Get("/hello?name=ada%20l");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->status, 200);
  EXPECT_EQ(hello->body, "hello ada l from 127.0.0.1");
  EXPECT_EQ(hello->get_header_value("Content-Type"), "text/plain");
  auto missing = client.Get("/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("no such endpoint: /nope"), std::string::npos);
  auto wrong_method = client.Post("/hello", "", "text/plain");
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 405);
  auto thrown = client.Get("/throw");
  ASSERT_TRUE(thrown);
  EXPECT_EQ(thrown->status, 500);
  const std::vector<Observed> seen = WaitObserved(4);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].route, "/hello");
  EXPECT_EQ(seen[1].route, "unmatched");
  EXPECT_EQ(seen[1].refusal, "unknown_path");
  EXPECT_EQ(seen[2].refusal, "method_not_allowed");
  EXPECT_EQ(seen[3].status, 500);
}

TEST_F(HttpServerTest, APatternRouteTakesAnyOneLastSegment) {
  Start();
  httplib::Client client("127.0.0.1", port_);
  auto item = client.Post("/items/42", "", "text/plain");
  ASSERT_TRUE(item);
  EXPECT_EQ(item->body, "item 42");
  auto exact = client.Post("/items/all", "", "text/plain");  // an exact path wins
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->body, "all items");
  for (const char* unmatched : {"/items/", "/items/4/2", "/items"}) {
    auto missing = client.Post(unmatched, "", "text/plain");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404) << unmatched;
  }
  auto wrong_method = client.Get("/items/42");
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 405);
  const std::vector<Observed> seen = WaitObserved(6);
  ASSERT_EQ(seen.size(), 6u);
  EXPECT_EQ(seen[0].route, "/items/{id}");  // a bounded label, whatever the id
  EXPECT_EQ(seen[1].route, "/items/all");
  EXPECT_EQ(seen[2].route, "unmatched");
}

TEST_F(HttpServerTest, HeadAnswersAsGetWithoutTheBody) {
  Start();
  RawClient client(port_);
  ASSERT_TRUE(
      client.Send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string wire = client.ReadAnswers(2, 2s);
  EXPECT_EQ(RawClient::Statuses(wire), (std::vector<int>{200, 200}));
  // Both announce the same length; only the GET's body follows.
  EXPECT_EQ(wire.find("hello you"), wire.rfind("hello you"));
  EXPECT_NE(wire.find("Content-Length: 24"), wire.rfind("Content-Length: 24"));
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrderOnOneConnection) {
  Start();
  RawClient client(port_);
  std::string three;
  for (const char* n : {"1", "2", "3"}) {
    three += std::string("GET /slow?ms=") + (n[0] == '1' ? "200" : "1") + "&n=" + n +
             " HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  ASSERT_TRUE(client.Send(three));
  const std::string wire = client.ReadAnswers(3, 3s);
  EXPECT_EQ(RawClient::Statuses(wire), (std::vector<int>{200, 200, 200}));
  const auto one = wire.find("slow 1"), two = wire.find("slow 2"), three_at = wire.find("slow 3");
  EXPECT_LT(one, two);
  EXPECT_LT(two, three_at);
  EXPECT_NE(three_at, std::string::npos);
  EXPECT_FALSE(client.closed());
}

TEST_F(HttpServerTest, ABodyOverTheLimitIsRefusedBeforeItIsRead) {
  Start();
  RawClient client(port_);
  const auto start = Clock::now();
  ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n"));
  const std::string wire = client.ReadAnswers(1, 2s);
  EXPECT_EQ(RawClient::Statuses(wire), std::vector<int>{413});
  EXPECT_LT(Clock::now() - start, 1s);
  EXPECT_NE(wire.find("\"error\""), std::string::npos);
  const std::vector<Observed> seen = WaitObserved(1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].route, "refused");
  EXPECT_EQ(seen[0].refusal, "body_too_large");
  EXPECT_EQ(seen[0].path, "/echo");
}

TEST_F(HttpServerTest, AChunkedBodyIsRefusedAtTheChunkThatPassesTheLimit) {
  Start();  // a 64 KiB limit
  RawClient client(port_);
  ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "4000\r\n" + std::string(0x4000, 'a') + "\r\n";  // 16 KiB
  int sent = 0;
  std::string wire;
  while (sent < 64 && RawClient::Statuses(wire).empty()) {
    if (!client.Send(chunk)) break;
    ++sent;
    wire += client.Read(50ms);
  }
  wire += client.ReadAnswers(1, 1s);
  EXPECT_EQ(RawClient::Statuses(wire), std::vector<int>{413});
  // Four chunks fill the limit; the fifth passes it, and is refused at its size line.
  EXPECT_LE(sent, 6);
}

TEST_F(HttpServerTest, AChunkedBodyWithinTheLimitIsRead) {
  Start();
  httplib::Client client("127.0.0.1", port_);
  const std::string body(40 * 1024, 'b');
  auto response = client.Post(
      "/echo",
      [&](std::size_t offset, httplib::DataSink& sink) {
        if (offset < body.size()) {
          sink.write(body.data() + offset, std::min<std::size_t>(8192, body.size() - offset));
        } else {
          sink.done();
        }
        return true;
      },
      "text/plain");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, body);
}

TEST_F(HttpServerTest, EncodingsAreRefusedExceptGzipWhereARouteTakesIt) {
  Start();
  httplib::Client client("127.0.0.1", port_);
  const std::string body = R"({"a": 1})";
  const std::string gzipped = Gzip(body);
  auto brotli = client.Post("/echo-gzip", {{"Content-Encoding", "br"}}, "xx", "application/json");
  ASSERT_TRUE(brotli);
  EXPECT_EQ(brotli->status, 415);
  EXPECT_NE(brotli->body.find("or as gzip"), std::string::npos);
  auto gzip_elsewhere =
      client.Post("/echo", {{"Content-Encoding", "gzip"}}, gzipped, "application/json");
  ASSERT_TRUE(gzip_elsewhere);
  EXPECT_EQ(gzip_elsewhere->status, 415);
  auto gzip =
      client.Post("/echo-gzip", {{"Content-Encoding", "gzip"}}, gzipped, "application/json");
  ASSERT_TRUE(gzip);
  EXPECT_EQ(gzip->status, 200);
  EXPECT_EQ(gzip->body, body);
  // 10 MiB of zeros in about 10 KB: refused once inflated past the 64 KiB limit.
  const std::string bomb = Gzip(std::string(10 << 20, '\0'));
  ASSERT_LT(bomb.size(), 64u * 1024);
  auto bombed = client.Post("/echo-gzip", {{"Content-Encoding", "gzip"}}, bomb, "application/json");
  ASSERT_TRUE(bombed);
  EXPECT_EQ(bombed->status, 413);
  auto corrupt =
      client.Post("/echo-gzip", {{"Content-Encoding", "gzip"}}, "not gzip", "application/json");
  ASSERT_TRUE(corrupt);
  EXPECT_EQ(corrupt->status, 400);
}

TEST_F(HttpServerTest, TextThatIsNotUtf8IsA400InEveryPosition) {
  Start();
  const std::vector<std::string> requests = {
      "GET /hello\xff HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /hello%ff HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /hello?name=%c3%28 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /hello HTTP/1.1\r\nHost: x\r\nX-Event-Key: repo:\xc3\x28\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\na\xffz",
  };
  for (const std::string& request : requests) {
    RawClient client(port_);
    ASSERT_TRUE(client.Send(request));
    const std::string wire = client.ReadAnswers(1, 2s);
    EXPECT_EQ(RawClient::Statuses(wire), std::vector<int>{400}) << request;
    EXPECT_NE(wire.find("application/json"), std::string::npos) << request;
  }
  const std::vector<Observed> seen = WaitObserved(requests.size());
  ASSERT_EQ(seen.size(), requests.size());
  for (const Observed& one : seen) {
    EXPECT_EQ(one.route, "refused");
    EXPECT_EQ(one.refusal, "bad_request");
    EXPECT_TRUE(IsPrintableAscii(one.path)) << one.path;
  }
}

TEST_F(HttpServerTest, AHeaderThatNeverEndsIsCutOffAtItsDeadline) {
  ServerOptions options = SmallOptions();
  options.header_timeout_ms = 500;
  Start(options);
  RawClient slow(port_);
  const auto start = Clock::now();
  // One byte every 100 ms: each would reset a per-read timeout, never this deadline.
  for (int i = 0; i < 20 && !slow.closed(); ++i) {
    slow.Send("X");
    slow.Read(100ms);  // nothing arrives; the server's close ends it early
  }
  EXPECT_TRUE(slow.closed());
  EXPECT_LT(Clock::now() - start, 1500ms);
}

TEST_F(HttpServerTest, SlowClientsHoldNoThreadFromOthers) {
  ServerOptions options = SmallOptions();
  options.threads = 2;
  Start(options);
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < 300; ++i) {
    slow.push_back(std::make_unique<RawClient>(port_, "127.0.0.2"));
    ASSERT_TRUE(slow.back()->connected());
    slow.back()->Send("GET /hello HTTP/1.1\r\nHo");
  }
  for (int i = 0; i < 20; ++i) {
    RawClient client(port_);
    const auto start = Clock::now();
    ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(RawClient::Statuses(client.ReadAnswers(1, 2s)), std::vector<int>{200});
    EXPECT_LT(Clock::now() - start, testing::kPromptAnswer);
  }
}

TEST_F(HttpServerTest, ConnectionsPastTheCapPerClientGetA503WithRetryAfter) {
  ServerOptions options = SmallOptions();
  options.max_connections_per_client = 3;
  Start(options);
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 3; ++i) held.push_back(std::make_unique<RawClient>(port_, "127.0.0.3"));
  // Let the server count them before the fourth arrives.
  for (auto& client : held) {
    client->Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(RawClient::Statuses(client->ReadAnswers(1, 2s)), std::vector<int>{200});
  }
  RawClient fourth(port_, "127.0.0.3");
  fourth.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string wire = fourth.ReadAnswers(1, 2s);
  EXPECT_EQ(RawClient::Statuses(wire), std::vector<int>{503});
  EXPECT_NE(wire.find("Retry-After: 1"), std::string::npos);
  // Another address is not affected, and a closed connection frees its place.
  RawClient other(port_, "127.0.0.4");
  other.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(RawClient::Statuses(other.ReadAnswers(1, 2s)), std::vector<int>{200});
  held.pop_back();
  std::this_thread::sleep_for(100ms);
  RawClient again(port_, "127.0.0.3");
  again.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(RawClient::Statuses(again.ReadAnswers(1, 2s)), std::vector<int>{200});
}

TEST_F(HttpServerTest, RequestsPastTheMemoryBudgetGetA503AndTheBudgetComesBack) {
  // Room for one read buffer and a 100,000-byte body, not for a second such request.
  ServerOptions options = SmallOptions();
  options.max_body_bytes = 200'000;
  options.max_request_memory_bytes = 300'000;
  Start(options);
  const std::string body(100'000, 'b');
  const std::string header = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n";
  RawClient first(port_);
  ASSERT_TRUE(first.Send(header + body.substr(0, 1000)));  // holds its body's room
  std::this_thread::sleep_for(100ms);
  RawClient second(port_);
  ASSERT_TRUE(second.Send(header + body));
  const std::string refused = second.ReadAnswers(1, 2s);
  EXPECT_EQ(RawClient::Statuses(refused), std::vector<int>{503}) << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
  EXPECT_NE(refused.find("busy"), std::string::npos) << refused;
  // The first request goes on; once answered, its memory is the next one's.
  ASSERT_TRUE(first.Send(body.substr(1000)));
  EXPECT_EQ(RawClient::Statuses(first.ReadAnswers(1, 2s)), std::vector<int>{200});
  RawClient third(port_);
  ASSERT_TRUE(third.Send(header + body));
  EXPECT_EQ(RawClient::Statuses(third.ReadAnswers(1, 2s)), std::vector<int>{200});
  const std::vector<Observed> seen = WaitObserved(3);
  EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](const Observed& o) {
    return o.refusal == "server_busy" && o.status == 503;
  }));
}

TEST_F(HttpServerTest, StopAnswersEveryRequestAlreadyReceivedThenCloses) {
  Start();
  RawClient busy(port_);
  RawClient idle(port_);
  std::string pipelined;
  for (const char* n : {"1", "2", "3"}) {
    pipelined += std::string("GET /slow?ms=300&n=") + n + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  ASSERT_TRUE(busy.Send(pipelined));
  for (int i = 0; i < 100 && slow_started_ == 0; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(slow_started_, 1);
  const auto start = Clock::now();
  server_->Stop();
  const std::string wire = busy.ReadAnswers(3, 5s);
  // The three answers take 0.9 s; the reads below wait out their own timeouts, so the time is
  // taken here.
  EXPECT_LT(Clock::now() - start, 2500ms);
  EXPECT_EQ(RawClient::Statuses(wire), (std::vector<int>{200, 200, 200}));
  EXPECT_NE(wire.find("slow 3"), std::string::npos);
  EXPECT_NE(wire.find("Connection: close"), std::string::npos);
  busy.Read(1s);
  EXPECT_TRUE(busy.closed());
  idle.Read(1s);
  EXPECT_TRUE(idle.closed());
  serving_.join();
  EXPECT_TRUE(served_.ok());
}

TEST_F(HttpServerTest, BindingAPortInUseSaysSo) {
  Start();
  ServerOptions options;
  options.port = port_;
  HttpServer second(options);
  const auto bound = second.Bind();
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.status().message().find("in use"), std::string::npos);
}

}  // namespace
}  // namespace leadline::api
