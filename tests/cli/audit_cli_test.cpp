// End-to-end tests of the audit log under `leadline serve`: a flood of requests without a valid
// identity adds counts, not a row each; calls with a token keep a row each; old rows are pruned;
// and a store whose sealed secrets the key cannot open is refused at start, and never ready.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include "auth/secret_box.h"
#include "serve_cli_fixture.h"
#include "store/store.h"

namespace {

using leadline::testing::Bearer;
using leadline::testing::LeadlineRun;
using leadline::testing::ServeCliTest;
using leadline::testing::ServerProcess;

class AuditCliTest : public ServeCliTest {
 protected:
  void TearDown() override {
    if (!HasFailure()) return;
    std::ifstream log(Log());
    std::cerr << "the server's log:\n" << log.rdbuf();
  }
  std::unique_ptr<leadline::store::Store> Store() const {
    return std::move(leadline::store::OpenStore(db())).value();
  }
};

// Each refusal the flood is made of: how it is sent, and the reason it is counted under.
struct Refused {
  const char* reason;
  const char* method;
  const char* path;
  const char* authorization;
};
constexpr Refused kFlood[] = {
    {"no_token", "GET", "/v1/repositories", ""},
    {"bad_token", "GET", "/v1/repositories", "Bearer llt_not-a-token"},
    {"unknown_path", "GET", "/v1/no-such-endpoint", ""},
    {"unsigned", "POST", "/v1/bitbucket/webhook", ""},
};

TEST_F(AuditCliTest, AFloodWithoutAValidIdentityIsCountedNotLoggedRowByRow) {
  const std::string reader = Token("--name reader --scopes read");
  ServerProcess server(db(), Log());
  constexpr int kPerReason = 1250;  // 5,000 requests in all
  std::vector<std::thread> senders;
  std::atomic<int> unexpected = 0;
  for (const Refused& refused : kFlood) {
    senders.emplace_back([&, refused] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);  // a POST's headers and body are two writes
      httplib::Headers headers;
      if (*refused.authorization != '\0') headers.emplace("Authorization", refused.authorization);
      for (int i = 0; i < kPerReason; ++i) {
        auto response = std::string(refused.method) == "GET"
                            ? client.Get(refused.path, headers)
                            : client.Post(refused.path, headers, "{}", "application/json");
        if (!response || response->status / 100 != 4) ++unexpected;
      }
    });
  }
  for (std::thread& sender : senders) sender.join();
  EXPECT_EQ(unexpected, 0);
  // Calls with a valid token keep a row each, a 403 included.
  httplib::Client client("127.0.0.1", server.port());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(client.Get("/v1/repositories", Bearer(reader))->status, 200);
  EXPECT_EQ(client.Post("/v1/deployments", Bearer(reader), "{}", "application/json")->status, 403);

  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  for (const Refused& refused : kFlood) {
    EXPECT_NE(
        metrics->body.find("leadline_http_refusals_total{reason=\"" + std::string(refused.reason) +
                           "\"} " + std::to_string(kPerReason) + "\n"),
        std::string::npos)
        << refused.reason << "\n"
        << metrics->body;
  }
  EXPECT_NE(metrics->body.find("leadline_http_refusals_total{reason=\"missing_scope\"} 1\n"),
            std::string::npos);
  // A clean stop writes the counts still in memory.
  EXPECT_EQ(server.Stop(SIGTERM), 0);

  auto store = Store();
  const auto entries = *store->audit().LoadAudit(1000);
  ASSERT_EQ(entries.size(), 4u);
  for (const auto& entry : entries) EXPECT_EQ(entry.token_name, "reader");
  EXPECT_EQ(entries[0].status, 403);
  EXPECT_EQ(entries[0].path, "/v1/deployments");
  const auto counts = *store->audit().LoadAuditRefusals(1000);
  // A row per reason and client address in each minute the flood touched (two at most).
  EXPECT_LE(counts.size(), 2 * std::size(kFlood));
  std::map<std::string, std::int64_t> by_reason;
  for (const auto& count : counts) {
    EXPECT_EQ(count.client_address, "127.0.0.1");
    by_reason[count.reason] += count.count;
  }
  for (const Refused& refused : kFlood) EXPECT_EQ(by_reason[refused.reason], kPerReason);
  EXPECT_EQ(by_reason.size(), std::size(kFlood));

  const LeadlineRun shown = Leadline("audit --limit 2");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("  reader           403 POST   /v1/deployments\n"), std::string::npos)
      << shown.out;
  EXPECT_NE(shown.out.find("Refused without a valid identity"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("  127.0.0.1        "), std::string::npos) << shown.out;
}

TEST_F(AuditCliTest, EntriesAndCountsOlderThanTheRetentionArePruned) {
  const leadline::common::UnixSeconds now = leadline::common::NowUnixSeconds();
  const leadline::common::UnixSeconds old = now - 40 * leadline::common::kDay;
  {
    auto store = Store();
    ASSERT_TRUE(store->audit()
                    .AppendAudit({{old, "ci-bot", "GET", "/v1/repositories", 200},
                                  {now, "ci-bot", "GET", "/v1/repositories", 200}})
                    .ok());
    ASSERT_TRUE(
        store->audit()
            .AddAuditRefusals(
                {{old - old % 60, "203.0.113.9", "no_token", 9, 401, "GET", "/v1/repositories"},
                 {now - now % 60, "203.0.113.9", "no_token", 1, 401, "GET", "/v1/repositories"}})
            .ok());
  }
  EXPECT_EQ(Leadline("serve --listen 127.0.0.1:0 --audit-retention forever").exit_code, 1);
  ServerProcess server(db(), Log(), "--audit-retention 30d");
  auto store = Store();
  // Entries and counts are pruned in separate short transactions: wait for both.
  for (int i = 0; i < 100 && (store->audit().LoadAudit(10)->size() > 1 ||
                              store->audit().LoadAuditRefusals(10)->size() > 1);
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto entries = *store->audit().LoadAudit(10);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at, now);
  const auto counts = *store->audit().LoadAuditRefusals(10);
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].count, 1);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST_F(AuditCliTest, ServeRefusesToStartWhenTheKeyCannotOpenTheSealedSecrets) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);  // credentials sealed with the key file
  ASSERT_TRUE(std::filesystem::remove(KeyFile()));
  const LeadlineRun missing = Leadline("serve --listen 127.0.0.1:0");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err, "leadline: error: the key file '" + KeyFile() +
                             "' is missing, but the store holds secrets sealed with it "
                             "(credentials of connection bitbucket-cloud/acme): restore the "
                             "file from the store's backup, or set LEADLINE_SECRET_KEY to the "
                             "key they were sealed with\n");
  EXPECT_FALSE(std::filesystem::exists(KeyFile()));  // not replaced by a new key

  // Another key in its place.
  { std::ofstream(KeyFile()) << std::string(64, '7') << "\n"; }
  std::filesystem::permissions(
      KeyFile(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
      std::filesystem::perm_options::replace);
  const LeadlineRun other = Leadline("serve --listen 127.0.0.1:0");
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("the credentials of connection bitbucket-cloud/acme cannot be opened "
                           "with the key file '" +
                           KeyFile() + "': the key changed since they were sealed"),
            std::string::npos)
      << other.err;
}

TEST_F(AuditCliTest, ASecretSealedWithAnotherKeyWhileServingMakesTheServerUnready) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  ServerProcess server(db(), Log());
  httplib::Client client("127.0.0.1", server.port());
  EXPECT_EQ(client.Get("/readyz")->status, 200);
  {
    auto store = Store();
    leadline::auth::SecretBox::Key other;
    other.fill(7);
    const auto connection = store->connections().LoadConnections()->front();
    ASSERT_TRUE(store->connections()
                    .SetWebhookSecret(connection.id, leadline::auth::SecretBox(other).Seal("s"))
                    .ok());
  }
  auto unready = client.Get("/readyz");
  ASSERT_TRUE(unready);
  EXPECT_EQ(unready->status, 503);
  EXPECT_NE(unready->body.find("the webhook secret of connection bitbucket-cloud/acme cannot be "
                               "opened with the server's key"),
            std::string::npos)
      << unready->body;
}

}  // namespace
