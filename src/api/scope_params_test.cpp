#include "api/scope_params.h"

#include <gtest/gtest.h>

namespace leadline::api {
namespace {

using common::kDay;
using common::UnixSeconds;

constexpr UnixSeconds kNow = 1764547200;  // 2025-12-01T00:00:00Z

class ResolveWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.facts.deployments.resize(2);
    repo_.facts.deployments[0].finished_at = kNow - 400 * kDay;
    repo_.facts.deployments[1].finished_at = kNow - kDay;
    scope_.repositories = {&repo_};
  }

  common::Result<engine::ReportWindow> Resolve(std::map<std::string, std::string> query) {
    HttpRequest request;
    request.query = std::move(query);
    return ResolveWindow(request, scope_, kNow);
  }
  // The error of a window that must be refused.
  std::string Refused(std::map<std::string, std::string> query) {
    const auto window = Resolve(query);
    EXPECT_FALSE(window.ok());
    return window.ok() ? "" : window.status().message();
  }

  query::RepositoryView repo_;
  query::ResolvedScope scope_;
};

TEST_F(ResolveWindowTest, DefaultsToTheNinetyDaysBeforeNow) {
  const auto window = Resolve({});
  ASSERT_TRUE(window.ok()) << window.status().message();
  EXPECT_EQ(window->since, kNow - 90 * kDay);
  EXPECT_EQ(window->until, kNow);
}

TEST_F(ResolveWindowTest, TakesTwentyYearsAndNoMore) {
  const auto longest = Resolve({{"window", "7305d"}});
  ASSERT_TRUE(longest.ok()) << longest.status().message();
  EXPECT_EQ(longest->until - longest->since, query::kLongestWindow);
  EXPECT_EQ(Refused({{"window", "7306d"}}),
            "window: '7306d' is too long (at most 7305d) (or 'all')");
  EXPECT_EQ(Refused({{"window", "100000000d"}}),
            "window: '100000000d' is too long (at most 7305d) (or 'all')");
  EXPECT_EQ(Refused({{"window", "9999999999999d"}}),
            "window: '9999999999999d' is too long (at most 7305d) (or 'all')");
  EXPECT_EQ(Refused({{"window", "99999999999999999999999999w"}}),
            "window: '99999999999999999999999999w' is too long (at most 7305d) (or 'all')");

  EXPECT_TRUE(Resolve({{"since", "2005-12-01T00:00:00Z"}, {"until", "2025-11-30T00:00:00Z"}}).ok());
  const std::string too_far = "since and until: at most 7305d (20 years) apart";
  EXPECT_EQ(
      Refused({{"since", "2000-01-01T00:00:00Z"}, {"until", "2025-01-01T00:00:00Z"}}).find(too_far),
      0u);
  EXPECT_EQ(Refused({{"since", "1970-01-01T00:00:00Z"}}).find(too_far), 0u);  // until: now
}

TEST_F(ResolveWindowTest, BeginsNoEarlierThanTheEpoch) {
  EXPECT_TRUE(Resolve({{"since", "1970-01-01"}, {"until", "1980-01-01"}}).ok());
  EXPECT_EQ(Refused({{"since", "0001-01-01"}, {"until", "9999-12-31"}}),
            "until: at most a day after now (2025-12-02T00:00:00Z)");
  EXPECT_EQ(Refused({{"since", "1969-12-31T23:59:59Z"}, {"until", "1980-01-01"}}),
            "since: 1970-01-01T00:00:00Z or later");
  EXPECT_EQ(Refused({{"until", "1970-01-01T00:00:00Z"}}), "until: after 1970-01-01T00:00:00Z");
  EXPECT_EQ(Refused({{"until", "1970-02-01T00:00:00Z"}, {"window", "90d"}}),
            "window: 90d before 1970-02-01T00:00:00Z begins before 1970-01-01T00:00:00Z; shorten "
            "it or move until later");
}

TEST_F(ResolveWindowTest, EndsAtMostADayAfterNow) {
  const auto tomorrow = Resolve({{"until", "2025-12-02T00:00:00Z"}});
  ASSERT_TRUE(tomorrow.ok()) << tomorrow.status().message();
  EXPECT_EQ(tomorrow->until, kNow + kDay);
  EXPECT_EQ(Refused({{"until", "2025-12-02T00:00:01Z"}}),
            "until: at most a day after now (2025-12-02T00:00:00Z)");
}

TEST_F(ResolveWindowTest, AllSpansTheScopesDeploymentsHoweverLong) {
  const auto all = Resolve({{"window", "all"}});
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(all->since, kNow - 400 * kDay);
  EXPECT_EQ(all->until, kNow);
  // Data of more than twenty years is all of it, never before the epoch.
  repo_.facts.deployments[0].finished_at = -5 * kDay;
  const auto older = Resolve({{"window", "all"}});
  ASSERT_TRUE(older.ok()) << older.status().message();
  EXPECT_EQ(older->since, 0);
  // A scope without deployments: an empty window, not an error.
  scope_.repositories.clear();
  const auto none = Resolve({{"window", "all"}});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->since, none->until);
}

TEST_F(ResolveWindowTest, MalformedValuesNameTheParameter) {
  EXPECT_EQ(Refused({{"window", "soon"}}).find("window: 'soon' is not a duration"), 0u);
  EXPECT_EQ(Refused({{"since", "yesterday"}}).find("since: 'yesterday' is not"), 0u);
  EXPECT_EQ(Refused({{"until", "-1"}}).find("until: '-1' is not"), 0u);
  EXPECT_EQ(Refused({{"since", "2025-01-02"}, {"until", "2025-01-01"}}),
            "the window is empty: since must be before until");
}

}  // namespace
}  // namespace leadline::api
