#include "store/sql/analytics_rows.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "store/sql/temp_store_test.h"

namespace leadline::store::sql {
namespace {

using AnalyticsRowsTest = TempStoreTest;

const AnalyticsTable& Table(const std::string& name) { return **FindAnalyticsTable(name); }

// A deployments row of `repository` in `project` finished at `at`, every kind of value in it.
AnalyticsRow Deployment(const std::string& project, const std::string& repository,
                        common::UnixSeconds at, std::optional<double> median) {
  AnalyticsRow row = {project,
                      repository,
                      std::string("tag:v1"),
                      std::string("tag"),
                      std::string("production"),
                      std::string("v1"),
                      std::string(40, 'a'),
                      at,
                      std::string("failure"),
                      std::int64_t{0},
                      std::int64_t{1},
                      std::string("deployment_failed reverted"),
                      std::int64_t{3},
                      std::int64_t{2}};
  row.push_back(median ? AnalyticsValue(*median) : AnalyticsValue());
  row.insert(row.end(), {std::int64_t{1}, std::string("v2"), std::monostate(), std::int64_t{3600},
                         std::int64_t{0}, std::string("")});
  // Its branch and start, where known.
  row.push_back(median ? AnalyticsValue(std::string("release/1")) : AnalyticsValue());
  row.push_back(median ? AnalyticsValue(at - 120) : AnalyticsValue());
  return row;
}

TEST_P(AnalyticsRowsTest, RowsReadBackAsWrittenOnEveryEngine) {
  const AnalyticsTable& deployments = Table("deployments");
  // Reals that 15 digits would not give back.
  const std::vector<AnalyticsRow> rows = {Deployment("pa", "acme/api", 1000, 0.1 + 0.2),
                                          Deployment("pb", "acme/web", 2000, std::nullopt),
                                          Deployment("pa", "acme/api", 3000, 86400.0 / 7)};
  {
    auto transaction = store_->Begin();
    ASSERT_TRUE(transaction.ok());
    ASSERT_TRUE(store_->analytics().InsertAnalyticsRows(deployments, rows).ok());
    ASSERT_TRUE(transaction->Commit().ok());
  }
  auto all = store_->analytics().ReadAnalyticsRows(deployments, {});
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0], rows[0]);  // ordered by every column: pa's two first
  EXPECT_EQ((*all)[1], rows[2]);
  EXPECT_EQ((*all)[2], rows[1]);
  // By project and by the table's time column, [since, until).
  auto filtered = store_->analytics().ReadAnalyticsRows(
      deployments, {.project_key = "pa", .since = std::nullopt, .until = 3000});
  ASSERT_TRUE(filtered.ok());
  ASSERT_EQ(filtered->size(), 1u);
  EXPECT_EQ((*filtered)[0], rows[0]);
  EXPECT_EQ(
      store_->analytics()
          .ReadAnalyticsRows(deployments,
                             {.project_key = std::nullopt, .since = 3000, .until = std::nullopt})
          ->size(),
      1u);
}

TEST_P(AnalyticsRowsTest, DeletingAScopeTakesItsRowsAndDigestOnly) {
  Analytics& analytics = store_->analytics();
  const AnalyticsScope api{AnalyticsScope::Kind::kRepository, "acme/api"};
  const AnalyticsScope pa{AnalyticsScope::Kind::kProject, "pa"};
  const std::vector<AnalyticsRow> rows = {Deployment("pa", "acme/api", 1000, 1.5),
                                          Deployment("pa", "acme/web", 2000, 2.5)};
  ASSERT_TRUE(analytics.InsertAnalyticsRows(Table("deployments"), rows).ok());
  ASSERT_TRUE(analytics.SetAnalyticsDigest(api, "d1").ok());
  ASSERT_TRUE(analytics.SetAnalyticsDigest(pa, "d2").ok());
  ASSERT_TRUE(analytics.SetAnalyticsDigest(api, "d3").ok());  // replaces
  EXPECT_EQ(
      *analytics.LoadAnalyticsDigests(),
      (std::map<std::string, std::string>{{"repository:acme/api", "d3"}, {"project:pa", "d2"}}));
  // A project scope's rows are its metric rows: its repositories' rows stay.
  ASSERT_TRUE(analytics.DeleteAnalyticsScope(pa).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM " +
                  AnalyticsSqlName(Table("deployments"), GetParam() == Engine::kPostgres)),
            2);
  ASSERT_TRUE(analytics.DeleteAnalyticsScope(api).ok());
  auto left = analytics.ReadAnalyticsRows(Table("deployments"), {});
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0], rows[1]);
  EXPECT_TRUE(analytics.LoadAnalyticsDigests()->empty());
}

TEST_P(AnalyticsRowsTest, RowsThatDoNotFitTheColumnsAreRefusedWhole) {
  Analytics& analytics = store_->analytics();
  const AnalyticsTable& deployments = Table("deployments");
  AnalyticsRow short_row = Deployment("pa", "acme/api", 1000, 1.0);
  short_row.pop_back();
  AnalyticsRow null_key = Deployment("pa", "acme/api", 1000, 1.0);
  null_key[0] = std::monostate();
  AnalyticsRow bad_flag = Deployment("pa", "acme/api", 1000, 1.0);
  bad_flag[9] = std::int64_t{2};
  AnalyticsRow text_time = Deployment("pa", "acme/api", 1000, 1.0);
  text_time[7] = std::string("yesterday");
  const AnalyticsRow good = Deployment("pa", "acme/api", 1000, 1.0);
  struct Case {
    AnalyticsRow row;
    std::string message;
  };
  for (const Case& bad : std::vector<Case>{
           {short_row, "analytics table deployments, row 2: 22 values for 23 columns"},
           {null_key, "analytics table deployments, row 2: project_key must be text"},
           {bad_flag, "analytics table deployments, row 2: proxy must be a flag (0 or 1)"},
           {text_time, "row 2: finished_at must be a time (Unix seconds)"}}) {
    const std::vector<AnalyticsRow> rows = {good, bad.row};
    const Status status = analytics.InsertAnalyticsRows(deployments, rows);
    EXPECT_EQ(status.code(), common::StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find(bad.message), std::string::npos) << status.message();
  }
  EXPECT_TRUE(analytics.ReadAnalyticsRows(deployments, {})->empty());  // not even the good one
  EXPECT_EQ(FindAnalyticsTable("deploys").status().message(),
            "no analytics table 'deploys' (tables: deployments, changes, pull_requests, "
            "incidents, failure_reasons, metrics_daily, metrics_weekly, metrics_quarterly)");
}

TEST_P(AnalyticsRowsTest, RefreshesAreRecordedAndTheNewestRead) {
  Analytics& analytics = store_->analytics();
  EXPECT_FALSE(analytics.LastAnalyticsRefresh()->has_value());
  ASSERT_TRUE(analytics.RecordAnalyticsRefresh({100, true, 3, 40, 90, 12}).ok());
  ASSERT_TRUE(analytics.RecordAnalyticsRefresh({200, false, 1, 5, std::nullopt, 3}).ok());
  const auto last = analytics.LastAnalyticsRefresh();
  ASSERT_TRUE(last.ok() && last->has_value()) << last.status().message();
  EXPECT_EQ((*last)->refreshed_at, 200);
  EXPECT_FALSE((*last)->full);
  EXPECT_EQ((*last)->scopes_rewritten, 1);
  EXPECT_EQ((*last)->rows_written, 5);
  EXPECT_FALSE((*last)->watermark.has_value());
  EXPECT_EQ((*last)->duration_ms, 3);
}

// Every table the description names exists with those columns on each engine.
TEST_P(AnalyticsRowsTest, EveryDescribedTableIsInTheSchema) {
  for (const AnalyticsTable& table : AnalyticsTables()) {
    auto rows =
        store_->analytics().ReadAnalyticsRows(table, {.project_key = "x", .since = 0, .until = 1});
    EXPECT_TRUE(rows.ok()) << table.name << ": " << rows.status().message();
  }
}

// Two servers refreshing at once take turns: the second waits for the first's commit, and then
// its deletes see the rows the first wrote (no scope's rows written twice).
TEST_P(AnalyticsRowsTest, RefreshesTakeTheirTurn) {
  if (GetParam() != Engine::kPostgres) GTEST_SKIP() << "SQLite's write transaction is exclusive";
  auto other = OpenStore(url_);
  ASSERT_TRUE(other.ok()) << other.status().message();
  auto first = store_->Begin();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(store_->analytics().LockAnalyticsForRefresh().ok());
  std::atomic<bool> locked{false};
  std::thread second([&] {
    Store& store = **other;
    auto transaction = store.Begin();
    EXPECT_TRUE(transaction.ok());
    EXPECT_TRUE(store.analytics().LockAnalyticsForRefresh().ok());
    locked = true;
    if (transaction.ok()) {
      EXPECT_TRUE(transaction->Commit().ok());
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(locked) << "the second refresh did not wait";
  ASSERT_TRUE(first->Commit().ok());
  second.join();
  EXPECT_TRUE(locked);
}

LEADLINE_ON_EVERY_ENGINE(AnalyticsRowsTest);

}  // namespace
}  // namespace leadline::store::sql
