#include "app/audit_keeper.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "testing/git_script.h"

namespace leadline::app {
namespace {

using leadline::testing::TempDir;

api::HttpRequest From(const std::string& address) {
  api::HttpRequest request;
  request.method = "GET";
  request.path = "/v1/repositories";
  request.remote_address = address;
  return request;
}

std::int64_t TotalCount(store::Store& store) {
  std::int64_t total = 0;
  const std::vector<model::AuditRefusal> counts = *store.audit().LoadAuditRefusals(1000);
  for (const model::AuditRefusal& count : counts) total += count.count;
  return total;
}

TEST(AuditKeeperTest, WritesTheCountsOnceASecondAndWhatIsLeftWhenStopped) {
  TempDir dir;
  const std::string db = dir.Child("leadline.db");
  auto store = std::move(store::OpenStore(db)).value();
  api::RefusalCounts counts;
  AuditKeeper keeper(config::PathsBeside(db), counts, 400 * common::kDay);
  keeper.Start();
  const common::UnixSeconds now = common::NowUnixSeconds();
  for (int i = 0; i < 5000; ++i) counts.Add(now, From("203.0.113.9"), 401, "no_token");
  // Written within a second or two, without a stop.
  for (int i = 0; i < 50 && TotalCount(*store) < 5000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(TotalCount(*store), 5000);
  EXPECT_LE(store->audit().LoadAuditRefusals(1000)->size(),
            2u);  // one minute, or two across its end
  // Counted just before the stop: written by Stop(), and by a second Stop() what came after.
  counts.Add(now, From("198.51.100.7"), 404, "unknown_path");
  keeper.Stop();
  EXPECT_EQ(TotalCount(*store), 5001);
  counts.Add(now, From("198.51.100.7"), 404, "unknown_path");
  keeper.Stop();
  EXPECT_EQ(TotalCount(*store), 5002);
}

TEST(AuditKeeperTest, PrunesWhatIsOlderThanTheRetentionSoonAfterStart) {
  TempDir dir;
  const std::string db = dir.Child("leadline.db");
  auto store = std::move(store::OpenStore(db)).value();
  const common::UnixSeconds now = common::NowUnixSeconds();
  const common::UnixSeconds old = now - 31 * common::kDay;
  ASSERT_TRUE(store->audit()
                  .AppendAudit({{old, "ci-bot", "GET", "/v1/repositories", 200},
                                {now, "ci-bot", "GET", "/v1/repositories", 200}})
                  .ok());
  ASSERT_TRUE(
      store->audit()
          .AddAuditRefusals({{old - old % 60, "203.0.113.9", "no_token", 7, 401, "GET", "/"},
                             {now - now % 60, "203.0.113.9", "no_token", 1, 401, "GET", "/"}})
          .ok());
  api::RefusalCounts counts;
  AuditKeeper keeper(config::PathsBeside(db), counts, 30 * common::kDay);
  keeper.Start();
  for (int i = 0; i < 50 && store->audit().LoadAudit(10)->size() > 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  keeper.Stop();
  const auto entries = *store->audit().LoadAudit(10);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at, now);
  const auto refusals = *store->audit().LoadAuditRefusals(10);
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].count, 1);
}

}  // namespace
}  // namespace leadline::app
