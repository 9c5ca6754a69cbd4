#include "app/analytics_refresh.h"

#include <gtest/gtest.h>

#include "app/analytics_rows.h"
#include "common/time.h"
#include "store/store.h"
#include "testing/git_script.h"

namespace leadline::app {
namespace {

using leadline::testing::TempDir;

// Two repositories of five deployments each, a change of an hour's lead time apiece, both in
// project "pa".
query::MetricsView View() {
  query::MetricsView view;
  for (int r = 0; r < 2; ++r) {
    query::RepositoryView repo;
    repo.repository.id = r + 1;
    repo.repository.location = "acme/r" + std::to_string(r);
    for (int d = 0; d < 5; ++d) {
      model::Deployment deployment;
      deployment.natural_key = "tag:v" + std::to_string(d);
      deployment.source = "tag";
      deployment.ref = "v" + std::to_string(d);
      deployment.sha = std::string(40, static_cast<char>('a' + d));
      deployment.finished_at = common::kDay * (100 + 2 * d + r);
      repo.deployments.push_back(deployment);
      engine::DeploymentRow row;
      row.index = static_cast<std::size_t>(d);
      row.change_count = 1;
      row.credited_changes = 1;
      row.lead_time_median_s = 3600.0;
      repo.report.deployments.push_back(row);
      engine::DeploymentFact fact;
      fact.finished_at = deployment.finished_at;
      fact.success = true;
      fact.first_change = static_cast<std::uint32_t>(d);
      fact.end_change = static_cast<std::uint32_t>(d + 1);
      repo.facts.deployments.push_back(fact);
      repo.facts.changes.push_back({deployment.finished_at, 3600});
    }
    view.repositories.push_back(std::move(repo));
  }
  view.projects.push_back({1, "pa", {1, 2}});
  return view;
}

std::vector<std::vector<store::AnalyticsRow>> AllRows(store::Store& store) {
  std::vector<std::vector<store::AnalyticsRow>> tables;
  for (const store::AnalyticsTable& table : store::AnalyticsTables()) {
    tables.push_back(*store.analytics().ReadAnalyticsRows(table, {}));
  }
  return tables;
}

class AnalyticsRefreshTest : public ::testing::Test {
 protected:
  std::unique_ptr<store::Store> Open(const std::string& name) {
    return std::move(store::OpenStore(dir_.Child(name))).value();
  }
  TempDir dir_;
};

TEST_F(AnalyticsRefreshTest, RowsMadeAgainInsideTheTransactionAreTheSame) {
  const query::MetricsView view = View();
  auto held = Open("held.db");
  auto remade = Open("remade.db");
  auto a = RefreshAnalytics(*held, view, {.full = false, .now = 1});
  auto b = RefreshAnalytics(*remade, view, {.full = false, .now = 1, .most_held_rows = 0});
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().message() << b.status().message();
  EXPECT_EQ(a->record.rows_written, b->record.rows_written);
  EXPECT_GT(a->record.rows_written, 20);
  EXPECT_EQ(AllRows(*held), AllRows(*remade));
}

TEST_F(AnalyticsRefreshTest, RewritesTheScopesThatChangedAndDeletesTheGoneOnes) {
  query::MetricsView view = View();
  auto store = Open("leadline.db");
  auto first = RefreshAnalytics(*store, view, {.full = false, .now = 1});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->record.scopes_rewritten, 3);  // two repositories, one project
  EXPECT_EQ(first->scopes, 3u);
  EXPECT_EQ(first->record.watermark, common::kDay * 109);

  // A failed deployment of acme/r1: its rows and the project's metric rows change.
  engine::FailureEvidence reverted;
  reverted.reason = "reverted";
  view.repositories[1].report.deployments[4].failure_reasons.push_back(reverted);
  view.repositories[1].facts.deployments[4].failed = true;
  auto second = RefreshAnalytics(*store, view, {.full = false, .now = 2});
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->record.scopes_rewritten, 2);
  const auto reasons =
      *store->analytics().ReadAnalyticsRows(**store::FindAnalyticsTable("failure_reasons"), {});
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0][1], store::AnalyticsValue(std::string("acme/r1")));

  // acme/r0 gone from the view: its rows go; the project's metric rows change.
  view.repositories.erase(view.repositories.begin());
  auto third = RefreshAnalytics(*store, view, {.full = false, .now = 3});
  ASSERT_TRUE(third.ok()) << third.status().message();
  EXPECT_EQ(third->record.scopes_rewritten, 2);
  const auto deployments =
      *store->analytics().ReadAnalyticsRows(**store::FindAnalyticsTable("deployments"), {});
  EXPECT_EQ(deployments.size(), 5u);
  for (const auto& row : deployments) {
    EXPECT_EQ(row[1], store::AnalyticsValue(std::string("acme/r1")));
  }
  EXPECT_FALSE(store->analytics().LoadAnalyticsDigests()->contains("repository:acme/r0"));

  auto full = RefreshAnalytics(*store, view, {.full = true, .now = 4});
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->record.scopes_rewritten, 2);
  EXPECT_TRUE((*store->analytics().LastAnalyticsRefresh())->full);
}

TEST_F(AnalyticsRefreshTest, AProjectNameThatIsNoKeyWritesNothing) {
  query::MetricsView view = View();
  view.projects.push_back({2, "a,b", {1}});
  auto store = Open("leadline.db");
  auto refreshed = RefreshAnalytics(*store, view, {.full = false, .now = 1});
  EXPECT_EQ(refreshed.status().code(), common::StatusCode::kInvalidArgument);
  EXPECT_NE(refreshed.status().message().find("project 'a,b': a name with ','"), std::string::npos);
  EXPECT_FALSE(store->analytics().LastAnalyticsRefresh()->has_value());
}

// The metric rows' periods: UTC days, weeks from Monday, calendar quarters.
TEST(AnalyticsPeriodsTest, DaysWeeksAndQuartersStartWhereTheCalendarSays) {
  const auto at = [](const char* text) { return *common::ParseRfc3339(text); };
  EXPECT_EQ(DayStart(at("2026-12-06T13:14:15Z")), at("2026-12-06T00:00:00Z"));
  EXPECT_EQ(WeekStart(at("2026-12-06T13:14:15Z")), at("2026-11-30T00:00:00Z"));  // a Sunday
  EXPECT_EQ(QuarterStart(at("2026-12-06T13:14:15Z")), at("2026-10-01T00:00:00Z"));
  EXPECT_EQ(QuarterStart(at("2026-10-01T00:00:00Z")), at("2026-10-01T00:00:00Z"));
  EXPECT_EQ(QuarterStart(at("2026-09-30T23:59:59Z")), at("2026-07-01T00:00:00Z"));
  EXPECT_EQ(QuarterStart(at("2024-03-31T12:00:00Z")), at("2024-01-01T00:00:00Z"));
  EXPECT_EQ(QuarterStart(at("2024-05-01T00:00:00Z") + 90 * common::kDay),
            at("2024-07-01T00:00:00Z"));
  EXPECT_EQ(QuarterStart(at("1969-12-31T23:00:00Z")), at("1969-10-01T00:00:00Z"));
}

}  // namespace
}  // namespace leadline::app
