#include "engine/scope_metrics.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <string>

#include "testing/snapshot_script.h"

namespace leadline::engine {
namespace {

using common::kDay;
using common::kHour;
using common::UnixSeconds;

constexpr UnixSeconds kT0 = 1704067200;  // 2024-01-01T00:00:00Z, a Monday
UnixSeconds Day(double d) { return kT0 + static_cast<UnixSeconds>(d * kDay); }

DeploymentFact Deployed(double day, bool success = true) {
  DeploymentFact fact;
  fact.finished_at = Day(day);
  fact.success = success;
  return fact;
}

PullRequestFact Merged(double day, std::uint32_t author, common::Seconds total) {
  PullRequestFact pr;
  pr.merged_at = Day(day);
  pr.author = author;
  pr.total = total;
  pr.coding = total / 2;
  return pr;
}

// api: deployments on days 1, 2 (failed, restored after 2 h, with a change of 5 h), 3 (rework)
// and 20 (outside a 14-day window); web: one deployment on day 8, a proxy.
class ScopeMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.location = "acme/api";
    api_.deployments = {Deployed(1), Deployed(2), Deployed(3), Deployed(20)};
    api_.deployments[1].failed = true;
    api_.deployments[1].recovery_s = 2 * kHour;
    api_.deployments[2].rework = true;
    api_.changes = {
        {Day(1), 1 * kHour}, {Day(1), 3 * kHour}, {Day(2), 5 * kHour}, {Day(20), 100 * kHour}};
    api_.pull_requests = {Merged(1, 0, 10 * kHour), Merged(2, 1, 20 * kHour),
                          Merged(20, 0, 1 * kHour)};
    api_.incidents = {{Day(2) + kHour, true}, {Day(5), false}};
    web_.location = "acme/web";
    web_.proxy = true;
    web_.deployments = {Deployed(8)};
    web_.changes = {{Day(8), 7 * kHour}};
    web_.pull_requests = {Merged(8, 1, 30 * kHour)};
  }

  ScopeMetrics Query(std::vector<const RepositoryFacts*> scope, ScopeQuery query) {
    auto metrics = QueryScope(scope, query);
    EXPECT_TRUE(metrics.ok()) << metrics.status().message();
    return metrics.ok() ? *metrics : ScopeMetrics{};
  }

  RepositoryFacts api_, web_;
  const ReportWindow two_weeks_{Day(0), Day(14)};
};

TEST_F(ScopeMetricsTest, OneRepositoryCountsOnlyItsWindow) {
  const ScopeMetrics m = Query({&api_}, {two_weeks_, 2023, {}});
  const Summary& s = m.summary;
  EXPECT_EQ(s.deployments, 3u);
  EXPECT_EQ(s.deployment_attempts, 3u);
  EXPECT_EQ(s.failed_deployments, 1u);
  EXPECT_DOUBLE_EQ(*s.change_fail_rate, 1.0 / 3);
  EXPECT_DOUBLE_EQ(*s.rework_rate, 1.0 / 3);
  EXPECT_EQ(s.lead_time_s.count, 3u);  // 1 h, 3 h, 5 h
  EXPECT_DOUBLE_EQ(s.lead_time_s.median, 3 * kHour);
  EXPECT_EQ(s.recovery_s.count, 1u);
  EXPECT_DOUBLE_EQ(s.recovery_s.median, 2 * kHour);
  EXPECT_EQ(s.incidents, 2u);
  EXPECT_EQ(s.incidents_linked, 1u);
  EXPECT_DOUBLE_EQ(*s.median_time_between_deployments_s, kDay);  // gaps 1 d, 1 d
  EXPECT_EQ(m.stages.merged, 2u);
  EXPECT_DOUBLE_EQ(m.stages.total.median, 15 * kHour);  // 10 h, 20 h
  EXPECT_EQ(m.repositories, 1u);
  EXPECT_EQ(m.proxy_repositories, 0u);
}

TEST_F(ScopeMetricsTest, AProjectPoolsItsRepositories) {
  const ScopeMetrics m = Query({&api_, &web_}, {two_weeks_, 2023, {}});
  const Summary& s = m.summary;
  EXPECT_EQ(s.deployments, 4u);
  EXPECT_DOUBLE_EQ(*s.change_fail_rate, 0.25);
  EXPECT_EQ(s.lead_time_s.count, 4u);  // 1, 3, 5, 7 h: the median interpolates to 4 h
  EXPECT_DOUBLE_EQ(s.lead_time_s.median, 4 * kHour);
  // Gaps between the pooled deployments (days 1, 2, 3, 8): 1, 1, 5 days.
  EXPECT_DOUBLE_EQ(*s.median_time_between_deployments_s, kDay);
  EXPECT_EQ(m.stages.merged, 3u);
  EXPECT_DOUBLE_EQ(m.stages.total.median, 20 * kHour);
  EXPECT_EQ(m.repositories, 2u);
  EXPECT_EQ(m.proxy_repositories, 1u);
}

TEST_F(ScopeMetricsTest, ATeamNarrowsOnlyThePullRequestFigures) {
  const ScopeMetrics m = Query({&api_, &web_}, {two_weeks_, 2023, std::vector<std::uint32_t>{1}});
  EXPECT_EQ(m.summary.deployments, 4u);  // deployments are the repositories', not people's
  EXPECT_EQ(m.stages.merged, 2u);        // person 1's: 20 h and 30 h
  EXPECT_DOUBLE_EQ(m.stages.total.median, 25 * kHour);
  EXPECT_EQ(Query({&api_}, {two_weeks_, 2023, std::vector<std::uint32_t>{}}).stages.merged, 0u);
}

TEST_F(ScopeMetricsTest, TheWindowIncludesItsStartAndExcludesItsEnd) {
  EXPECT_EQ(Query({&api_}, {{Day(2), Day(3)}, 2023, {}}).summary.deployments, 1u);
  EXPECT_EQ(Query({&api_}, {{Day(2), Day(20)}, 2023, {}}).summary.deployments, 2u);
  EXPECT_EQ(Query({&api_}, {{Day(21), Day(30)}, 2023, {}}).summary.deployments, 0u);
  EXPECT_FALSE(Query({&api_}, {{Day(21), Day(30)}, 2023, {}}).summary.change_fail_rate);
}

TEST_F(ScopeMetricsTest, EmptyWeeksCountInTheFrequencyWithoutBeingHeld) {
  // Two weeks back from day 14: [7, 14) has none of api's deployments, [0, 7) three on three days.
  const FrequencyMeasures two_weeks = Query({&api_}, {two_weeks_, 2023, {}}).summary.frequency;
  EXPECT_DOUBLE_EQ(two_weeks.deploys_per_week, 1.5);
  EXPECT_DOUBLE_EQ(two_weeks.deploy_days_per_week, 1.5);
  // A window of 2^40 weeks: as many zeros, none of them stored.
  const ReportWindow huge{Day(14) - (std::int64_t{1} << 40) * common::kWeek, Day(14)};
  const FrequencyMeasures f = Query({&api_}, {huge, 2023, {}}).summary.frequency;
  EXPECT_EQ(f.deploys_per_week, 0);
  EXPECT_EQ(f.deploy_days_per_week, 0);
  EXPECT_GT(f.deploys_per_day, 0);
}

TEST_F(ScopeMetricsTest, WeeklyTrendHasOnePointPerWholeWeek) {
  // 15 days: two whole weeks counted back from day 15, days [1, 8) and [8, 15).
  const auto trend = *WeeklyTrend(std::vector<const RepositoryFacts*>{&api_, &web_},
                                  {{Day(0), Day(15)}, 2023, {}});
  ASSERT_EQ(trend.size(), 2u);
  EXPECT_EQ(trend[0].start, Day(1));
  EXPECT_EQ(trend[0].deployments, 3u);
  EXPECT_EQ(trend[0].lead_time_sample, 3u);
  EXPECT_DOUBLE_EQ(*trend[0].change_fail_rate, 1.0 / 3);
  EXPECT_DOUBLE_EQ(*trend[0].recovery_median_s, 2 * kHour);
  EXPECT_EQ(trend[1].start, Day(8));
  EXPECT_EQ(trend[1].deployments, 1u);
  EXPECT_DOUBLE_EQ(*trend[1].lead_time_median_s, 7 * kHour);
  EXPECT_DOUBLE_EQ(*trend[1].pull_request_total_median_s, 30 * kHour);
  EXPECT_FALSE(trend[1].recovery_median_s.has_value());
  // The stages of week [1, 8): PRs merged on days 1 and 2, coding half their total (5 h, 10 h).
  EXPECT_DOUBLE_EQ(*trend[0].coding_median_s, 7.5 * kHour);
  EXPECT_DOUBLE_EQ(*trend[1].coding_median_s, 15 * kHour);
  EXPECT_FALSE(trend[0].review_median_s.has_value());
}

TEST_F(ScopeMetricsTest, WeeklyTrendHasAtMostTwentyYearsOfWeeks) {
  const RepositoryFacts* scope[] = {&api_};
  const UnixSeconds until = Day(14);
  const auto longest =
      WeeklyTrend(scope, {{until - kMaxTrendWeeks * common::kWeek, until}, 2023, {}});
  ASSERT_TRUE(longest.ok()) << longest.status().message();
  EXPECT_EQ(longest->size(), static_cast<std::size_t>(kMaxTrendWeeks));
  EXPECT_EQ(longest->back().start, Day(7));
  EXPECT_EQ((*longest)[longest->size() - 2].deployments, 3u);  // days 1, 2 and 3
  const auto longer =
      WeeklyTrend(scope, {{until - (kMaxTrendWeeks + 1) * common::kWeek, until}, 2023, {}});
  ASSERT_FALSE(longer.ok());
  EXPECT_EQ(longer.status().message(),
            "a weekly trend has at most 1044 weeks (20 years), and this window has 1045: narrow "
            "the window");
  // A window of a million years is refused before any week is counted.
  EXPECT_FALSE(WeeklyTrend(scope, {{until - 365250000 * kDay, until}, 2023, {}}).ok());
}

TEST_F(ScopeMetricsTest, AnUnknownBenchmarkYearIsAnError) {
  const RepositoryFacts* scope[] = {&api_};
  EXPECT_FALSE(QueryScope(scope, {two_weeks_, 1999, {}}).ok());
  EXPECT_FALSE(WeeklyTrend(scope, {two_weeks_, 1999, {}}).ok());
}

TEST(PeopleIndexTest, FindsMembersByAccountIdOrNameWithoutCase) {
  PeopleIndex people;
  EXPECT_EQ(people.Intern({"{a1}", "Ann Smith"}), 0u);
  EXPECT_EQ(people.Intern({"{b2}", "Bob"}), 1u);
  EXPECT_EQ(people.Intern({"{a1}", "Ann S."}), 0u);  // the same account
  EXPECT_EQ(people.Intern({"", "Carol"}), 2u);
  EXPECT_EQ(people.Find({"ann smith", "{B2}"}), (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(people.Find({"carol"}), std::vector<std::uint32_t>{2});
  EXPECT_TRUE(people.Find({"dave"}).empty());
}

TEST(PeopleIndexTest, FindsMembersByTheEmailTheyCommitWith) {
  PeopleIndex people;
  const std::uint32_t ann = people.Intern({"{a1}", "Ann Smith"});
  const std::uint32_t bob = people.Intern({"{b2}", "Bob"});
  people.LinkEmail(ann, "ann@example.com");
  people.LinkEmail(ann, "ann@home.example");
  people.LinkEmail(ann, "ann@example.com");  // again: kept once
  EXPECT_EQ(people.Find({"Ann@Example.com"}), std::vector<std::uint32_t>{ann});
  EXPECT_EQ(people.Find({"ann@home.example", "{b2}"}), (std::vector<std::uint32_t>{ann, bob}));
  EXPECT_TRUE(people.Find({"bob@example.com"}).empty());
}

TEST(CollectFactsTest, TakesLeadTimesRecoveryAndStagesFromTheAnalysis) {
  leadline::testing::SnapshotScript repo;
  repo.Commit("A", {}, Day(0));
  repo.Commit("B", {"A"}, Day(1));
  repo.Commit("C", {"A"}, Day(1) + kHour);
  repo.Commit("M", {"B", "C"}, Day(2));
  repo.Build();
  std::vector<model::Deployment> deployments(2);
  deployments[0].sha = repo.snapshot().graph.id(repo["A"]).Hex();
  deployments[0].finished_at = Day(0) + kHour;
  deployments[1].sha = repo.snapshot().graph.id(repo["M"]).Hex();
  deployments[1].finished_at = Day(2) + kHour;
  const DeploymentAnalysis analysis = AnalyzeDeployments(repo.snapshot(), deployments, {});
  PullRequestStages pr;
  pr.author = {"{a1}", "Ann"};
  pr.merged_at = Day(2);
  pr.total = 5 * kHour;
  const std::vector<PullRequestStages> stages = {pr, PullRequestStages{}};  // the second: open
  PeopleIndex people;
  const RepositoryFacts facts =
      CollectFacts("acme/api", false, repo.snapshot(), deployments, analysis, stages, people);
  ASSERT_EQ(facts.deployments.size(), 2u);
  EXPECT_EQ(facts.deployments[1].merges_excluded, 1u);
  // A: 1 h; B: 1 d 1 h; C: 1 d.
  ASSERT_EQ(facts.changes.size(), 3u);
  EXPECT_EQ(facts.deployments[1].end_change - facts.deployments[1].first_change, 2u);
  EXPECT_EQ(facts.changes[0].lead_s, kHour);
  ASSERT_EQ(facts.pull_requests.size(), 1u);
  EXPECT_EQ(facts.pull_requests[0].total, 5 * kHour);
  EXPECT_EQ(people.size(), 1u);
  EXPECT_TRUE(people.Find({"ann@example.com"}).empty());
}

TEST(CollectFactsTest, LinksEachAuthorToTheEmailOfTheirCommits) {
  leadline::testing::SnapshotScript repo;
  repo.AuthoredBy("Ann@Example.com");
  repo.Commit("A", {}, Day(0));
  repo.Build();
  PullRequestStages pr;
  pr.author = {"{a1}", "Ann"};
  pr.merged_at = Day(1);
  pr.commit_email = repo.snapshot().author_email_of[repo["A"]];
  PeopleIndex people;
  const std::vector<PullRequestStages> stages = {pr};
  CollectFacts("acme/api", false, repo.snapshot(), {}, AnalyzeDeployments(repo.snapshot(), {}, {}),
               stages, people);
  EXPECT_EQ(people.Find({"ann@example.com"}), std::vector<std::uint32_t>{0});
}

TEST(CollectFactsTest, KeepsEachChangesCommitAndAuthorOnlyWhenAsked) {
  leadline::testing::SnapshotScript repo;
  repo.AuthoredBy("Ann@Example.com");
  repo.Commit("A", {}, Day(0));
  repo.Commit("B", {"A"}, Day(1));
  repo.AuthoredBy("");
  repo.Commit("C", {"A"}, Day(1) + kHour);
  repo.AuthoredBy("bob@example.com");
  repo.Commit("M", {"B", "C"}, Day(2));  // a merge: no change of its own
  repo.Build();
  std::vector<model::Deployment> deployments(2);
  deployments[0].sha = repo.snapshot().graph.id(repo["A"]).Hex();
  deployments[0].finished_at = Day(0) + kHour;
  deployments[1].sha = repo.snapshot().graph.id(repo["M"]).Hex();
  deployments[1].finished_at = Day(2) + kHour;
  const DeploymentAnalysis analysis = AnalyzeDeployments(repo.snapshot(), deployments, {});
  PeopleIndex people;
  const RepositoryFacts kept = CollectFacts("acme/api", false, repo.snapshot(), deployments,
                                            analysis, {}, people, /*keep_change_commits=*/true);
  ASSERT_EQ(kept.changes.size(), 3u);
  const ChangeCommits& commits = kept.change_commits;
  ASSERT_EQ(commits.ids.size(), 3u);
  ASSERT_EQ(commits.authors.size(), 3u);
  // Each change's commit, in the changes' order, its lead time its own author time's.
  std::map<std::string, std::optional<std::string>> seen;
  for (std::size_t i = 0; i < 3; ++i) {
    const CommitIndex c = repo.snapshot().graph.Find(commits.ids[i]);
    ASSERT_NE(c, kNoCommit);
    EXPECT_EQ(kept.changes[i].lead_s,
              kept.changes[i].deployed_at - repo.snapshot().graph.author_time(c));
    const std::string* author = commits.Author(i);
    seen[commits.ids[i].Hex()] = author ? std::optional(*author) : std::nullopt;
  }
  const auto hex = [&](const char* name) { return repo.snapshot().graph.id(repo[name]).Hex(); };
  EXPECT_EQ(seen, (std::map<std::string, std::optional<std::string>>{{hex("A"), "ann@example.com"},
                                                                     {hex("B"), "ann@example.com"},
                                                                     {hex("C"), std::nullopt}}));
  const RepositoryFacts plain =
      CollectFacts("acme/api", false, repo.snapshot(), deployments, analysis, {}, people);
  EXPECT_TRUE(plain.change_commits.ids.empty());
  EXPECT_TRUE(plain.change_commits.authors.empty());
}

// Lead times read from the index (IndexLeadTimes) are the ones read from the changes: every
// window of random repositories (one without changes, long runs of one value, lead times from
// none to years), whole scopes and single repositories, and a scope of which only some
// repositories are indexed.
TEST(LeadTimeIndexTest, QueriesGiveTheSameLeadTimesWithTheIndexAndWithout) {
  std::mt19937_64 rng(17);
  std::vector<RepositoryFacts> plain(4);
  for (std::size_t r = 0; r < plain.size(); ++r) {
    const int n = r == 2 ? 0 : static_cast<int>(rng() % 3000);
    UnixSeconds at = kT0;
    for (int i = 0; i < n; ++i) {
      at += static_cast<common::Seconds>(rng() % (kDay / 4));
      const common::Seconds lead =
          r == 3 ? 6 * kHour : static_cast<common::Seconds>(rng() % (kDay << (rng() % 11)));
      plain[r].changes.push_back({at, lead});
    }
  }
  std::vector<RepositoryFacts> indexed = plain;
  for (RepositoryFacts& facts : indexed) IndexLeadTimes(facts);
  ASSERT_TRUE(indexed[0].lead_index.has_value());
  std::vector<RepositoryFacts> half = indexed;
  half[1].lead_index.reset();
  const auto scope_of = [](const std::vector<RepositoryFacts>& facts) {
    std::vector<const RepositoryFacts*> out;
    for (const RepositoryFacts& f : facts) out.push_back(&f);
    return out;
  };
  for (int round = 0; round < 200; ++round) {
    UnixSeconds since = kT0 + static_cast<common::Seconds>(rng() % (400 * kDay)) - kDay;
    UnixSeconds until = kT0 + static_cast<common::Seconds>(rng() % (400 * kDay)) - kDay;
    if (since > until) std::swap(since, until);
    const ScopeQuery query{{since, until}, 2023, {}};
    std::vector<std::vector<const RepositoryFacts*>> scopes[3] = {
        {scope_of(plain)}, {scope_of(indexed)}, {scope_of(half)}};
    for (std::size_t r = 0; r < plain.size(); ++r) {
      scopes[0].push_back({&plain[r]});
      scopes[1].push_back({&indexed[r]});
      scopes[2].push_back({&half[r]});
    }
    for (std::size_t s = 0; s < scopes[0].size(); ++s) {
      const Distribution expected = QueryScope(scopes[0][s], query)->summary.lead_time_s;
      for (int variant : {1, 2}) {
        const Distribution d = QueryScope(scopes[variant][s], query)->summary.lead_time_s;
        ASSERT_EQ(d.count, expected.count) << round << " " << s << " " << variant;
        ASSERT_EQ(d.median, expected.median) << round << " " << s << " " << variant;
        ASSERT_EQ(d.p75, expected.p75) << round << " " << s << " " << variant;
        ASSERT_EQ(d.p90, expected.p90) << round << " " << s << " " << variant;
        ASSERT_EQ(d.mean, expected.mean) << round << " " << s << " " << variant;
      }
    }
  }
}

}  // namespace
}  // namespace leadline::engine
