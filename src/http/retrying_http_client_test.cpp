#include "http/retrying_http_client.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>

#include "http/testing_fakes.h"

namespace leadline::http {
namespace {

using std::chrono::milliseconds;
using testing::FakeClock;
using testing::ScriptedClient;

constexpr char kUrl[] = "https://api.bitbucket.org/2.0/repositories/ws";

HttpRequest Get() {
  HttpRequest request;
  request.url = kUrl;
  return request;
}

RetryPolicy FastPolicy() {
  RetryPolicy policy;
  policy.max_attempts = 4;
  policy.base_delay = milliseconds(100);
  policy.max_delay = milliseconds(1'000);
  return policy;
}

TEST(RetryingHttpClient, RetriesServerErrorsUntilSuccess) {
  ScriptedClient inner;
  inner.Answer(kUrl, 503, "busy");
  inner.Answer(kUrl, 502, "bad gateway");
  inner.Answer(kUrl, 200, "{}");
  FakeClock clock;
  RetryingHttpClient client(inner, FastPolicy(), 0, clock);
  auto response = client.Send(Get());
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(inner.sent.size(), 3u);
  const RequestCounts counts = client.counts();
  EXPECT_EQ(counts.requests, 3u);
  EXPECT_EQ(counts.retries, 2u);
  EXPECT_EQ(counts.server_errors, 2u);
  // Backoff ceilings 100 ms then 200 ms; full jitter waits at least half of each.
  EXPECT_GE(clock.slept, milliseconds(50 + 100));
  EXPECT_LE(clock.slept, milliseconds(100 + 200));
}

TEST(RetryingHttpClient, HonoursRetryAfterOn429) {
  ScriptedClient inner;
  inner.Answer(kUrl, 429, "Rate limit for this resource has been exceeded",
               {{"Retry-After", "30"}});
  inner.Answer(kUrl, 200, "{}");
  FakeClock clock;
  RetryingHttpClient client(inner, FastPolicy(), 0, clock);
  auto response = client.Send(Get());
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(clock.slept, milliseconds(30'000));  // the server's wait beats the 100 ms backoff
  EXPECT_EQ(client.counts().rate_limited, 1u);
}

TEST(RetryingHttpClient, GivesUpWithTheLastAnswer) {
  ScriptedClient inner;
  inner.Answer(kUrl, 429, "slow down");
  FakeClock clock;
  RetryingHttpClient client(inner, FastPolicy(), 0, clock);
  auto response = client.Send(Get());
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 429);
  EXPECT_EQ(inner.sent.size(), 4u);  // max_attempts
  EXPECT_EQ(client.counts().retries, 3u);
}

TEST(RetryingHttpClient, RetriesTransportFailuresButNotOtherErrors) {
  ScriptedClient inner;
  inner.Answer(kUrl, common::Status::Unavailable("cannot connect to host"));
  FakeClock clock;
  RetryingHttpClient client(inner, FastPolicy(), 0, clock);
  auto failed = client.Send(Get());
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("gave up after 4 attempts"), std::string::npos);
  EXPECT_EQ(client.counts().transport_errors, 4u);

  ScriptedClient other;
  other.Answer(kUrl, common::Status::Internal("bug"));
  RetryingHttpClient once(other, FastPolicy(), 0, clock);
  EXPECT_FALSE(once.Send(Get()).ok());
  EXPECT_EQ(other.sent.size(), 1u);
}

TEST(RetryingHttpClient, ClientErrorsAreNotRetried) {
  ScriptedClient inner;
  inner.Answer(kUrl, 404, "{}");
  FakeClock clock;
  RetryingHttpClient client(inner, FastPolicy(), 0, clock);
  EXPECT_EQ(client.Send(Get())->status, 404);
  EXPECT_EQ(inner.sent.size(), 1u);
  EXPECT_EQ(clock.slept, milliseconds(0));
}

TEST(RetryingHttpClient, RefusesWaitsLongerThanTheLimit) {
  ScriptedClient inner;
  inner.Answer(kUrl, 429, "", {{"Retry-After", "7200"}});
  FakeClock clock;
  RetryPolicy policy = FastPolicy();
  policy.max_wait = milliseconds(60'000);
  RetryingHttpClient client(inner, policy, 0, clock);
  auto response = client.Send(Get());
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.status().message().find("asks to wait 7200 s"), std::string::npos)
      << response.status().message();
}

TEST(RetryingHttpClient, BudgetMakesTheNextRequestWaitForTheWindow) {
  ScriptedClient inner;
  inner.Answer(kUrl, 200, "{}");
  FakeClock clock;
  std::vector<std::string> waits;
  RetryPolicy policy = FastPolicy();
  policy.max_wait = std::chrono::hours(2);
  RetryingHttpClient client(inner, policy, 3, clock,
                            [&](const std::string& why) { waits.push_back(why); });
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.Send(Get()).ok());
  EXPECT_EQ(clock.slept, milliseconds(0));
  clock.SleepFor(std::chrono::minutes(10));  // time passes between requests
  ASSERT_TRUE(client.Send(Get()).ok());      // the 4th waits until the 1st is an hour old
  EXPECT_EQ(clock.slept, std::chrono::hours(1) + milliseconds(1));
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_NE(waits[0].find("3/hour"), std::string::npos) << waits[0];
  EXPECT_EQ(client.counts().requests, 4u);
}

// A budget that gives the answers of its script, one a Take(), then always says go.
class ScriptedBudget final : public RequestBudget {
 public:
  std::deque<common::Result<BudgetAnswer>> answers;
  int asked = 0;
  common::Result<BudgetAnswer> Take() override {
    ++asked;
    if (answers.empty()) return BudgetAnswer{};
    common::Result<BudgetAnswer> answer = answers.front();
    answers.pop_front();
    return answer;
  }
};

TEST(RetryingHttpClient, AsksItsBudgetBeforeEveryAttemptAndWaitsAsItSays) {
  ScriptedClient inner;
  inner.Answer(kUrl, 503, "");
  inner.Answer(kUrl, 200, "{}");
  FakeClock clock;
  auto owned = std::make_unique<ScriptedBudget>();
  ScriptedBudget& budget = *owned;
  budget.answers.push_back(BudgetAnswer{milliseconds(30'000), "shared budget spent"});
  std::vector<std::string> waits;
  RetryingHttpClient client(inner, FastPolicy(), std::move(owned), clock,
                            [&](const std::string& why) { waits.push_back(why); });
  ASSERT_TRUE(client.Send(Get()).ok());
  EXPECT_EQ(budget.asked, 3);  // the wait, then one per attempt
  EXPECT_EQ(inner.sent.size(), 2u);
  ASSERT_FALSE(waits.empty());
  EXPECT_EQ(waits[0], "shared budget spent: waiting 30 s");
  EXPECT_EQ(client.counts().requests, 2u);
}

TEST(RetryingHttpClient, ABudgetErrorOrAWaitTooLongSendsNothing) {
  ScriptedClient inner;
  inner.Answer(kUrl, 200, "{}");
  FakeClock clock;
  auto failing = std::make_unique<ScriptedBudget>();
  failing->answers.push_back(common::Status::Unavailable("the store is down"));
  RetryingHttpClient broken(inner, FastPolicy(), std::move(failing), clock);
  auto refused = broken.Send(Get());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "the store is down");

  auto spent = std::make_unique<ScriptedBudget>();
  spent->answers.push_back(BudgetAnswer{std::chrono::hours(1), "request budget spent"});
  RetryingHttpClient waiting(inner, FastPolicy(), std::move(spent), clock);
  auto too_long = waiting.Send(Get());
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.status().message().find("request budget spent for 3600 s more"),
            std::string::npos)
      << too_long.status().message();
  EXPECT_TRUE(inner.sent.empty());
  EXPECT_EQ(clock.slept, milliseconds(0));
}

TEST(RetryingHttpClient, BackoffDoublesUpToTheCap) {
  ScriptedClient inner;
  FakeClock clock;
  RetryingHttpClient client(inner, FastPolicy(), 0, clock);
  EXPECT_EQ(client.BackoffCeiling(1), milliseconds(100));
  EXPECT_EQ(client.BackoffCeiling(2), milliseconds(200));
  EXPECT_EQ(client.BackoffCeiling(4), milliseconds(800));
  EXPECT_EQ(client.BackoffCeiling(5), milliseconds(1'000));
  EXPECT_EQ(client.BackoffCeiling(40), milliseconds(1'000));
}

TEST(ServerRequestedWait, ReadsRetryAfterAndRateLimitReset) {
  HttpResponse response;
  EXPECT_FALSE(ServerRequestedWait(response, 1000).has_value());
  response.headers["X-RateLimit-Reset"] = "1060";
  EXPECT_EQ(ServerRequestedWait(response, 1000), milliseconds(60'000));
  response.headers["Retry-After"] = "5";
  EXPECT_EQ(ServerRequestedWait(response, 1000), milliseconds(5'000));  // Retry-After first
  response.headers["Retry-After"] = "Wed, 21 Oct 2015 07:28:00 GMT";    // dates: not read
  EXPECT_EQ(ServerRequestedWait(response, 1000), milliseconds(60'000));
}

TEST(ServerRequestedWait, ReadsGitLabsRateLimitResetAsAUnixTime) {
  HttpResponse response;
  const std::int64_t now = 1'767'225'600;
  response.headers["RateLimit-Reset"] = std::to_string(now + 42);  // GitLab: a Unix time
  EXPECT_EQ(ServerRequestedWait(response, now), milliseconds(42'000));
  response.headers["RateLimit-Reset"] = "7";  // the IETF draft: seconds from now
  EXPECT_EQ(ServerRequestedWait(response, now), milliseconds(7'000));
  response.headers["RateLimit-Reset"] = std::to_string(now - 5);  // already past
  EXPECT_FALSE(ServerRequestedWait(response, now).has_value());
}

}  // namespace
}  // namespace leadline::http
