// End-to-end tests of `leadline serve` facing hostile or unlucky clients: compression bombs,
// bodies past the limit, slow clients holding connections open, text that is not UTF-8, and
// pipelined requests queued when SIGTERM arrives. The real binary on a loopback port; memory is
// read from /proc.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "serve_cli_fixture.h"
#include "testing/raw_connection.h"

namespace leadline::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A kB figure of /proc/PID/status ("VmRSS", "VmHWM").
long ProcStatusKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

using Wire = RawConnection;

class PublicEdgeTest : public ServeCliTest {
 protected:
  void SetUp() override {
    SetUpProjects();
    writer_ = Token("--name writer --scopes write:events --projects pa");
  }
  std::string writer_;
};

constexpr const char* kPostRoutes[] = {"/v1/deployments", "/v1/incidents", "/v1/bitbucket/webhook",
                                       "/v1/bitbucket/webhook/repository",
                                       "/v1/bitbucket/webhook/merge-request"};

TEST_F(PublicEdgeTest, CompressionBombsAreRefusedQuicklyAndCheaply) {
  ServerProcess server(db(), Log());
  httplib::Client client("127.0.0.1", server.port());
  ASSERT_TRUE(client.Get("/healthz"));
  const long baseline_kb = ProcStatusKb(server.pid(), "VmRSS");
  ASSERT_GT(baseline_kb, 0);
  // 64 MiB of zeros gzip to about 64 KB; 2 MiB to about 2 KB, still over the 1 MiB limit.
  const std::string gzip_bomb = Gzip(std::string(2 << 20, '\0'));
  ASSERT_LT(gzip_bomb.size(), 2100u);
  // Leadline decodes no brotli: any body so labelled is refused unread.
  const std::string brotli_bomb(1500, '\x1b');
  for (const char* route : kPostRoutes) {
    for (const auto& [encoding, body] :
         {std::pair{"gzip", gzip_bomb}, std::pair{"br", brotli_bomb}}) {
      const auto start = Clock::now();
      auto answer = client.Post(route, {{"Content-Encoding", encoding}}, body, "application/json");
      ASSERT_TRUE(answer) << route << " " << encoding;
      EXPECT_TRUE(answer->status == 415 || answer->status == 413)
          << route << " " << encoding << ": " << answer->status;
      EXPECT_LT(Clock::now() - start, 1s) << route << " " << encoding;
    }
  }
  const long peak_kb = ProcStatusKb(server.pid(), "VmHWM");
  EXPECT_LT(peak_kb - baseline_kb, 100 * 1024) << "peak " << peak_kb << " kB";
}

TEST_F(PublicEdgeTest, GzipBodiesArePushedWhereTheRouteTakesThem) {
  ASSERT_EQ(Leadline("repos select acme/repo-1").exit_code, 0);
  ServerProcess server(db(), Log());
  httplib::Client client("127.0.0.1", server.port());
  const std::string body =
      R"([{"id": "gz-1", "repository": "acme/repo-1", "environment": "production",
          "commit": "0123456789abcdef0123456789abcdef01234567",
          "finished_at": "2026-11-01T10:00:00Z", "status": "success"}])";
  httplib::Headers headers = Bearer(writer_);
  headers.emplace("Content-Encoding", "gzip");
  auto pushed = client.Post("/v1/deployments", headers, Gzip(body), "application/json");
  ASSERT_TRUE(pushed);
  EXPECT_EQ(pushed->status, 200) << pushed->body;
  EXPECT_NE(pushed->body.find("\"received\":1"), std::string::npos) << pushed->body;
}

TEST_F(PublicEdgeTest, AChunkedBodyOverTheLimitIsA413) {
  ServerProcess server(db(), Log(), "--max-body-kb 64");
  Wire wire(server.port());
  ASSERT_TRUE(wire.Send("POST /v1/deployments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                        writer_ + "\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "4000\r\n" + std::string(0x4000, 'x') + "\r\n";  // 16 KiB
  int sent = 0;
  std::string answer;
  while (sent < 4096 && Wire::Statuses(answer).empty()) {
    if (!wire.Send(chunk)) break;  // the server closed after answering
    ++sent;
    answer += wire.ReadAnswers(1, std::chrono::milliseconds(20));
  }
  answer += wire.ReadAnswers(1, 2s);
  EXPECT_EQ(Wire::Statuses(answer), std::vector<int>{413}) << answer;
  EXPECT_NE(answer.find("too large"), std::string::npos);
  // Four chunks fill the limit; the fifth passes it and is refused at its size line.
  EXPECT_LE(sent, 8);
}

TEST_F(PublicEdgeTest, SlowClientsLeaveTheServerAnswering) {
  // The client side needs a descriptor per connection too.
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  setrlimit(RLIMIT_NOFILE, &files);
  ServerProcess server(db(), Log(), "--header-timeout 30s");
  std::vector<std::unique_ptr<Wire>> slow;
  for (int i = 0; i < 1000; ++i) {
    slow.push_back(std::make_unique<Wire>(server.port(), "127.0.0.2"));
    ASSERT_TRUE(slow.back()->connected()) << i;
  }
  const std::string header = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  int answered = 0;
  for (int round = 0; round < 4; ++round) {
    for (auto& wire : slow) wire->Send(header.substr(static_cast<std::size_t>(round), 1));
    {
      // The thousand bytes just sent arrive at once, which slow clients do not do: one request
      // waits for the server to read them all, then the timed ones see the steady state.
      Wire settle(server.port());
      ASSERT_TRUE(settle.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
      ASSERT_EQ(Wire::Statuses(settle.ReadAnswers(1, 10s)), std::vector<int>{200});
    }
    for (int i = 0; i < 25; ++i) {
      Wire client(server.port());
      const auto start = Clock::now();
      ASSERT_TRUE(client.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
      const std::string wire = client.ReadAnswers(1, 2s);
      EXPECT_EQ(Wire::Statuses(wire), std::vector<int>{200});
      EXPECT_LT(Clock::now() - start, kPromptAnswer) << "round " << round << ", request " << i;
      ++answered;
    }
    std::this_thread::sleep_for(1500ms);
  }
  EXPECT_EQ(answered, 100);
}

TEST_F(PublicEdgeTest, ConnectionsPastTheCapPerClientAre503) {
  ServerProcess server(db(), Log(), "--max-connections-per-client 2");
  std::vector<std::unique_ptr<Wire>> held;
  for (int i = 0; i < 2; ++i) {
    held.push_back(std::make_unique<Wire>(server.port()));
    held.back()->Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(Wire::Statuses(held.back()->ReadAnswers(1, 2s)), std::vector<int>{200});
  }
  Wire third(server.port());
  third.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string answer = third.ReadAnswers(1, 2s);
  EXPECT_EQ(Wire::Statuses(answer), std::vector<int>{503});
  EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos);
  EXPECT_EQ(Leadline("serve --max-connections-per-client 0").exit_code, 1);
  EXPECT_EQ(Leadline("serve --header-timeout 2y").exit_code, 1);
  const LeadlineRun small_budget = Leadline("serve --max-request-memory-mb 1");
  EXPECT_EQ(small_budget.exit_code, 1);
  EXPECT_NE(small_budget.err.find("--max-request-memory-mb must hold one request"),
            std::string::npos)
      << small_budget.err;
  const LeadlineRun no_body = Leadline("serve --max-body-kb 0");
  EXPECT_EQ(no_body.exit_code, 1);
  EXPECT_NE(no_body.err.find("--max-body-kb must be from 1 to 1048576"), std::string::npos)
      << no_body.err;
}

TEST_F(PublicEdgeTest, TextThatIsNotUtf8IsA400InEveryPosition) {
  ServerProcess server(db(), Log());
  const std::string reader = Token("--name reader --scopes read");
  const std::vector<std::string> requests = {
      "GET /v1/repositories?repo=%ff HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + reader +
          "\r\n\r\n",
      "GET /v1/repo\xc3\x28sitories HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST /v1/bitbucket/webhook HTTP/1.1\r\nHost: x\r\nX-Event-Key: repo:\xff\r\n"
      "Content-Length: 2\r\n\r\n{}",
      "POST /v1/deployments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + writer_ +
          "\r\nContent-Length: 11\r\n\r\n[{\"id\":\"\xff\"}]",
  };
  for (const std::string& request : requests) {
    Wire wire(server.port());
    ASSERT_TRUE(wire.Send(request));
    const std::string answer = wire.ReadAnswers(1, 2s);
    EXPECT_EQ(Wire::Statuses(answer), std::vector<int>{400}) << request;
    EXPECT_NE(answer.find("not valid UTF-8"), std::string::npos) << answer;
  }
  httplib::Client client("127.0.0.1", server.port());
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("route=\"refused\",status=\"400\""), std::string::npos)
      << metrics->body;
}

TEST_F(PublicEdgeTest, SigtermAnswersEveryPipelinedRequestAlreadyReceived) {
  ServerProcess server(db(), Log());
  const std::string reader = Token("--name reader --scopes read");
  Wire wire(server.port());
  // A keep-alive connection the server has accepted, as a client's would be.
  ASSERT_TRUE(wire.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(Wire::Statuses(wire.ReadAnswers(1, 2s)), std::vector<int>{200});
  std::string pipelined;
  for (int i = 0; i < 40; ++i) {
    pipelined += "GET /v1/metrics/dora?" + std::string(kWholeHistory) +
                 " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + reader + "\r\n\r\n";
  }
  ASSERT_TRUE(wire.Send(pipelined));
  std::thread stopper([&] { EXPECT_EQ(server.Stop(SIGTERM), 0); });
  const std::string answers = wire.ReadAnswers(40, 20s);
  stopper.join();
  const std::vector<int> statuses = Wire::Statuses(answers);
  EXPECT_EQ(statuses.size(), 40u);
  for (const int status : statuses) EXPECT_EQ(status, 200);
}

}  // namespace
}  // namespace leadline::testing
