#include "api/refusal_counts.h"

#include <gtest/gtest.h>

#include <thread>

namespace leadline::api {
namespace {

HttpRequest From(const std::string& address, const std::string& path = "/v1/repositories") {
  HttpRequest request;
  request.method = "GET";
  request.path = path;
  request.remote_address = address;
  return request;
}

TEST(RefusalOfTest, NamesWhatTheServerRefusedBeforeAnyRoute) {
  HttpResponse own;
  own.status = 401;
  own.refusal = "no_token";
  EXPECT_EQ(RefusalOf(own, "/v1/repositories"), "no_token");
  EXPECT_EQ(RefusalOf({404, "", "application/json", {}, ""}, "unmatched"), "unknown_path");
  EXPECT_EQ(RefusalOf({405, "", "application/json", {}, ""}, "unmatched"), "method_not_allowed");
  EXPECT_EQ(RefusalOf({413, "", "application/json", {}, ""}, "refused"), "body_too_large");
  EXPECT_EQ(RefusalOf({400, "", "application/json", {}, ""}, "refused"), "bad_request");
  HttpResponse named_by_server = own;
  named_by_server.refusal = "too_many_connections";
  EXPECT_EQ(RefusalOf(named_by_server, "refused"), "too_many_connections");
  // An answered request, even an error a handler gave a caller it knows, is no refusal.
  EXPECT_EQ(RefusalOf({422, "", "application/json", {}, ""}, "/v1/deployments"), "");
  EXPECT_EQ(RefusalOf({200, "", "text/html", {}, ""}, "dashboard"), "");
}

TEST(RefusalCountsTest, CountsPerMinuteAddressAndReasonAndForgetsWhatWasTaken) {
  RefusalCounts counts;
  for (int i = 0; i < 1000; ++i) counts.Add(6000 + i % 60, From("203.0.113.9"), 401, "no_token");
  counts.Add(6010, From("203.0.113.9", "/nope"), 404, "unknown_path");
  counts.Add(6030, From("198.51.100.7"), 401, "no_token");
  counts.Add(6065, From("203.0.113.9", "/v1/last"), 401, "no_token");  // the next minute
  const std::vector<model::AuditRefusal> taken = counts.Take();
  ASSERT_EQ(taken.size(), 4u);
  std::int64_t total = 0;
  for (const model::AuditRefusal& count : taken) total += count.count;
  EXPECT_EQ(total, 1003);
  // Ordered by minute, address, reason.
  EXPECT_EQ(taken[0].minute, 6000);
  EXPECT_EQ(taken[0].client_address, "198.51.100.7");
  EXPECT_EQ(taken[1].client_address, "203.0.113.9");
  EXPECT_EQ(taken[1].reason, "no_token");
  EXPECT_EQ(taken[1].count, 1000);
  EXPECT_EQ(taken[1].status, 401);
  EXPECT_EQ(taken[1].method, "GET");
  EXPECT_EQ(taken[2].reason, "unknown_path");
  EXPECT_EQ(taken[2].path, "/nope");
  EXPECT_EQ(taken[3].minute, 6060);
  EXPECT_EQ(taken[3].path, "/v1/last");
  EXPECT_TRUE(counts.Take().empty());
}

TEST(RefusalCountsTest, AddressesPastTheCapOfAMinuteAreCountedTogether) {
  RefusalCounts counts;
  const int addresses = static_cast<int>(RefusalCounts::kMaxKeysPerMinute) + 500;
  for (int i = 0; i < addresses; ++i)
    counts.Add(600, From("2001:db8::" + std::to_string(i)), 401, "no_token");
  counts.Add(601, From("2001:db8::0"), 401, "no_token");  // seen before the cap: its own row
  std::vector<model::AuditRefusal> taken = counts.Take();
  ASSERT_EQ(taken.size(), RefusalCounts::kMaxKeysPerMinute + 1);
  std::int64_t total = 0;
  for (const model::AuditRefusal& count : taken) {
    total += count.count;
    if (count.client_address == "*") {
      EXPECT_EQ(count.count, 500);
    } else if (count.client_address == "2001:db8::0") {
      EXPECT_EQ(count.count, 2);
    }
  }
  EXPECT_EQ(total, addresses + 1);
  // A new minute tells addresses apart again.
  counts.Add(660, From("2001:db8::99999"), 401, "no_token");
  taken = counts.Take();
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].client_address, "2001:db8::99999");
}

TEST(RefusalCountsTest, LongPathsAreCutAtACharacterBoundary) {
  RefusalCounts counts;
  // 199 ASCII bytes, then a two-byte character across the limit.
  counts.Add(0, From("203.0.113.9", std::string(199, 'a') + "\xc3\xa9" + std::string(50, 'b')), 404,
             "unknown_path");
  const std::vector<model::AuditRefusal> taken = counts.Take();
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].path, std::string(199, 'a'));
}

TEST(RefusalCountsTest, CountsFromManyThreadsAddUp) {
  RefusalCounts counts;
  std::vector<std::thread> threads;
  std::int64_t taken_total = 0;
  std::mutex taken_mutex;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&counts, t] {
      for (int i = 0; i < 10'000; ++i) {
        counts.Add(600 + i % 120, From("203.0.113." + std::to_string(t)), 401, "bad_token");
      }
    });
  }
  // Taken while the threads count, as the keeper does.
  threads.emplace_back([&] {
    for (int i = 0; i < 100; ++i) {
      for (const model::AuditRefusal& count : counts.Take()) {
        std::lock_guard lock(taken_mutex);
        taken_total += count.count;
      }
    }
  });
  for (std::thread& thread : threads) thread.join();
  for (const model::AuditRefusal& count : counts.Take()) taken_total += count.count;
  EXPECT_EQ(taken_total, 40'000);
}

}  // namespace
}  // namespace leadline::api
