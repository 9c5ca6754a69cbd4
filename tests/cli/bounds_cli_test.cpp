// End-to-end tests of the read endpoints' limits: a window, trend, page or cursor beyond them is
// a quick 400 that names the limit, never minutes of work; requests within them still answer.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "serve_cli_fixture.h"

namespace {

using leadline::testing::kWholeHistory;
using leadline::testing::LeadlineRun;
using nlohmann::json;

// A refusal, or the largest ask within the limits, costs no more than this however large the
// ask; the sanitizers' build runs every instruction several times slower, and checks
// correctness, not speed.
#if defined(LEADLINE_SANITIZED)
constexpr std::chrono::milliseconds kQuickly{2000};
#else
constexpr std::chrono::milliseconds kQuickly{500};
#endif

class BoundsApiTest : public leadline::testing::ReadApiTest {
 protected:
  void SetUp() override {
    ReadApiTest::SetUp();
    if (HasFatalFailure()) return;
    // The first read builds the server's view of the store: not what is timed here.
    ASSERT_EQ(Get("/v1/metrics/dora", reader_all_).first, 200);
  }

  struct Timed {
    int status = 0;
    json body;
    std::chrono::milliseconds took{0};
  };
  Timed TimedGet(const std::string& path) {
    const auto start = std::chrono::steady_clock::now();
    auto [status, body] = Get(path, reader_all_);
    return {status, std::move(body),
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)};
  }
};

TEST_F(BoundsApiTest, AsksBeyondTheLimitsAre400sThatNameTheLimit) {
  struct Ask {
    std::string path;
    std::string limit;  // what the error says
  };
  const Ask asks[] = {
      {"/v1/metrics/dora?window=100000000d", "window: '100000000d' is too long (at most 7305d)"},
      {"/v1/metrics/dora?window=9999999999999d&trend=weekly", "(at most 7305d)"},
      {"/v1/metrics/dora?window=99999999999999999999999999d", "(at most 7305d)"},
      {"/v1/metrics/dora?since=0001-01-01&until=9999-12-31&trend=weekly",
       "until: at most a day after now"},
      {"/v1/metrics/dora?since=0001-01-01T00:00:00Z&trend=weekly",
       "since: 1970-01-01T00:00:00Z or later"},
      {"/v1/metrics/dora?since=1969-12-31T00:00:00Z&until=1970-06-01T00:00:00Z",
       "since: 1970-01-01T00:00:00Z or later"},
      {"/v1/metrics/dora?since=2000-01-01T00:00:00Z&trend=weekly",
       "since and until: at most 7305d (20 years) apart"},
      {"/v1/metrics/dora?trend=daily", "trend: weekly, or leave it out"},
      {"/v1/deployments?window=9999999999999d", "(at most 7305d)"},
      {"/v1/deployments?limit=1000000", "limit: between 1 and 100"},
      {"/v1/deployments?limit=101", "limit: between 1 and 100"},
      {"/v1/deployments?failed=yes", "failed: true or false"},
      {"/v1/pull-requests?since=0001-01-01&until=9999-12-31", "until: at most a day after now"},
      {"/v1/pull-requests?cursor=99999999999999999999", "cursor: not a cursor of this list"},
      {"/v1/incidents?window=100000000d", "(at most 7305d)"},
      {"/v1/doctor?since=1900-01-01", "since: 1970-01-01T00:00:00Z or later"},
      {"/v1/repositories?cursor=abc", "cursor: not a cursor of this list"},
      {"/v1/projects?limit=1000000", "limit: between 1 and 100"},
      {"/v1/teams?cursor=-1", "cursor: not a cursor of this list"},
  };
  for (const Ask& ask : asks) {
    const Timed answer = TimedGet(ask.path);
    EXPECT_EQ(answer.status, 400) << ask.path << ": " << answer.body.dump();
    EXPECT_LT(answer.took, kQuickly) << ask.path;
    ASSERT_TRUE(answer.body.contains("error")) << ask.path << ": " << answer.body.dump();
    EXPECT_NE(answer.body["error"].get<std::string>().find(ask.limit), std::string::npos)
        << ask.path << ": " << answer.body["error"];
  }
}

TEST_F(BoundsApiTest, AsksWithinTheLimitsStillAnswer) {
  // The first read of the server loads the metrics snapshot, once (timed by the benchmarks): the
  // bound below is about what each ask costs.
  ASSERT_EQ(TimedGet("/v1/metrics/dora?window=30d").status, 200);
  // The longest window, with its trend: one point per whole week of twenty years.
  Timed answer = TimedGet("/v1/metrics/dora?window=7305d&trend=weekly");
  ASSERT_EQ(answer.status, 200) << answer.body.dump();
  EXPECT_EQ(answer.body["trend"].size(), 1043u);  // 7305 days: 1043 weeks and 4 days
  EXPECT_LT(answer.took, kQuickly);
  // All the data: the double's history of a month.
  answer = TimedGet("/v1/metrics/dora?window=all&trend=weekly");
  ASSERT_EQ(answer.status, 200) << answer.body.dump();
  EXPECT_FALSE(answer.body["trend"].empty());
  EXPECT_LE(answer.body["trend"].size(), 5u);
  // The earliest and the latest times taken.
  answer = TimedGet("/v1/metrics/dora?since=1970-01-01T00:00:00Z&until=1980-01-01T00:00:00Z");
  ASSERT_EQ(answer.status, 200) << answer.body.dump();
  EXPECT_EQ(answer.body["summary"]["deployments"], 0);
  EXPECT_EQ(TimedGet("/v1/metrics/dora?" + kWholeHistory).status, 200);

  // The largest page, and a cursor past the end: an empty last page.
  answer = TimedGet("/v1/pull-requests?limit=100&" + kWholeHistory);
  ASSERT_EQ(answer.status, 200) << answer.body.dump();
  EXPECT_FALSE(answer.body["items"].empty());
  answer = TimedGet("/v1/deployments?failed=false&cursor=999999999&" + kWholeHistory);
  ASSERT_EQ(answer.status, 200) << answer.body.dump();
  EXPECT_TRUE(answer.body["items"].empty());
  EXPECT_TRUE(answer.body["next"].is_null());
}

TEST_F(BoundsApiTest, TheReportCommandRefusesHugeWindowsClearly) {
  const LeadlineRun huge = Leadline("report --repo acme/repo-1 --window 9999999999999d");
  EXPECT_NE(huge.exit_code, 0);
  EXPECT_NE(huge.err.find("--window (or 'all'): '9999999999999d' is too long (at most 36525d)"),
            std::string::npos)
      << huge.err;
  // A scope's report has a weekly trend: twenty years of it at most.
  const LeadlineRun long_trend = Leadline("report --repo 'acme/*' --window 36525d");
  EXPECT_NE(long_trend.exit_code, 0);
  EXPECT_NE(long_trend.err.find("a weekly trend has at most 1044 weeks (20 years)"),
            std::string::npos)
      << long_trend.err;
  const LeadlineRun twenty_years = Leadline("report --repo 'acme/*' --window 7305d");
  EXPECT_EQ(twenty_years.exit_code, 0) << twenty_years.err;
}

}  // namespace
