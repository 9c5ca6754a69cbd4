// End-to-end tests of the analytics tables (docs/bi.md): after `leadline analytics refresh`,
// every table's numbers equal the REST API's for the same scope and window, compared field by
// field, on SQLite and (as Postgres.AnalyticsCliTest.*) on PostgreSQL; refreshes rewrite only
// what changed; bad input is refused with a clear error.
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "common/text.h"
#include "serve_cli_fixture.h"
#include "store/tables/analytics.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

// An analytics value as the REST API writes the same field: times in RFC 3339, flags as booleans.
json AsApi(const store::AnalyticsValue& value, store::ColumnType type) {
  if (std::holds_alternative<std::monostate>(value)) return nullptr;
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* real = std::get_if<double>(&value)) return *real;
  const std::int64_t number = std::get<std::int64_t>(value);
  if (type == store::ColumnType::kTime) return common::FormatRfc3339(number);
  if (type == store::ColumnType::kBool) return number != 0;
  return number;
}

// The rows of one analytics table, each as {column: value as the API writes it}.
using Rows = std::vector<std::map<std::string, json>>;

class AnalyticsCliTest : public ReadApiTest {
 protected:
  // Two teams: the double's pull requests are dev@example.com's; nobody's are the ghosts'.
  void SetUp() override {
    std::ofstream(dir_.Child("leadline.toml"))
        << "[teams.devs]\nmembers = [\"dev@example.com\"]\n"
        << "[teams.ghosts]\nmembers = [\"nobody@example.com\"]\n";
    ReadApiTest::SetUp();
  }
  // Incidents of both projects' repositories, so that every table has rows.
  void BeforeServe() override {
    const auto at = [](int days_ago) {
      return common::FormatRfc3339(common::NowUnixSeconds() - days_ago * common::kDay);
    };
    const std::string file = dir_.Child("incidents.json");
    std::ofstream(file) << R"({"incidents": [
        {"id": "INC-1", "repository": "acme/repo-1", "service": "checkout", "severity": "P1",
         "title": "Checkout fails", "started_at": ")"
                        << at(5) << R"(", "resolved_at": ")" << at(4) << R"("},
        {"id": "INC-3", "repository": "acme/repo-2", "severity": "P1", "title": "Billing down",
         "started_at": ")"
                        << at(3) << R"("}]})";
    const LeadlineRun imported = Leadline("incidents import " + file);
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    PushDeployments();
    const LeadlineRun refreshed = Leadline("analytics refresh");
    ASSERT_EQ(refreshed.exit_code, 0) << refreshed.err;
    refresh_output_ = refreshed.out;
  }

  // CI deployments of every third commit of acme/repo-1 and acme/repo-2, an hour after each, the
  // second of each repository failed: rows with changes, failures and recoveries.
  void PushDeployments() {
    json deployments = json::array();
    for (const std::string repository : {"acme/repo-1", "acme/repo-2"}) {
      auto raw = RawStore();
      ASSERT_NE(raw, nullptr);
      auto commits = raw->Prepare(
          "SELECT c.sha, c.committer_time FROM commits c JOIN repositories r ON r.id = c.repo_id "
          "WHERE r.location = ? ORDER BY c.committer_time, c.sha");
      ASSERT_TRUE(commits.ok()) << commits.status().message();
      commits->Bind(1, std::string_view(repository));
      for (int i = 0;; ++i) {
        auto row = commits->Step();
        ASSERT_TRUE(row.ok()) << row.status().message();
        if (!*row) break;
        if (i % 3 != 2) continue;
        const int n = static_cast<int>(deployments.size());
        const common::UnixSeconds finished = commits->ColumnInt(1) + common::kHour;
        json deployment = {{"id", repository + "-" + std::to_string(i)},
                           {"repository", repository},
                           {"environment", "production"},
                           {"commit", std::string(commits->ColumnText(0))},
                           {"status", n % 6 == 1 ? "failed" : "success"},
                           {"finished_at", common::FormatRfc3339(finished)}};
        // Every other one says when it started and which branch it deployed.
        if (n % 2 == 0) {
          deployment["started_at"] = common::FormatRfc3339(finished - 300 - n);
          deployment["branch"] = n % 4 == 0 ? "main" : "release/" + std::to_string(n);
        }
        deployments.push_back(std::move(deployment));
      }
    }
    const std::string file = dir_.Child("deployments.json");
    std::ofstream(file) << json{{"deployments", deployments}}.dump();
    const LeadlineRun pushed = Leadline("deployments import " + file);
    ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  }

  Rows Read(const std::string& table_name, const store::AnalyticsFilter& filter = {}) {
    auto store = store::OpenStore(db());
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return {};
    const store::AnalyticsTable& table = **store::FindAnalyticsTable(table_name);
    auto rows = (*store)->analytics().ReadAnalyticsRows(table, filter);
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    Rows out;
    for (const store::AnalyticsRow& row : *rows) {
      std::map<std::string, json>& named = out.emplace_back();
      for (std::size_t c = 0; c < table.columns.size(); ++c) {
        named[table.columns[c].name] = AsApi(row[c], table.columns[c].type);
      }
    }
    return out;
  }
  Rows ReadOf(const std::string& table, const std::string& project_key) {
    return Read(table, {.project_key = project_key, .since = std::nullopt, .until = std::nullopt});
  }

  // Every item of a list endpoint, page after page.
  json AllItems(const std::string& path) {
    json items = json::array();
    std::string cursor;
    for (int pages = 0; pages < 100; ++pages) {
      const auto [status, body] =
          Get(path + "&limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor), reader_all_);
      EXPECT_EQ(status, 200) << path << ": " << body.dump();
      for (const json& item : body["items"]) items.push_back(item);
      if (body["next"].is_null()) return items;
      cursor = body["next"];
    }
    ADD_FAILURE() << "more than 100 pages of " << path;
    return items;
  }

  std::string refresh_output_;
};

const std::vector<std::string> kProjects = {"pa", "pb"};

TEST_F(AnalyticsCliTest, DeploymentsAndFailureReasonsEqualTheApis) {
  std::size_t compared = 0, reasons_compared = 0;
  for (const std::string& project : kProjects) {
    const json api = AllItems("/v1/deployments?project=" + project + "&" + kWholeHistory);
    Rows rows = ReadOf("deployments", project);
    const Rows reasons = ReadOf("failure_reasons", project);
    ASSERT_EQ(rows.size(), api.size()) << project;
    // The API's order: newest first, then by repository; the rows' order by every column.
    std::vector<const json*> by_api;
    for (const json& item : api) by_api.push_back(&item);
    for (const json* item : by_api) {
      const auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) {
        return r.at("repository") == (*item)["repository"] && r.at("sha") == (*item)["sha"] &&
               r.at("finished_at") == (*item)["finished_at"] && r.at("ref") == (*item)["ref"];
      });
      ASSERT_NE(row, rows.end()) << item->dump();
      const std::map<std::string, json>& r = *row;
      EXPECT_EQ(r.at("project_key"), project);
      for (const std::string field :
           {"proxy", "status", "change_count", "lead_time_sample", "lead_time_median_s",
            "first_deployment_lookback", "failed", "restored_by", "restored_by_incident",
            "recovery_s", "rework"}) {
        EXPECT_EQ(r.at(field), (*item)[field]) << field << " of " << item->dump();
      }
      EXPECT_EQ(r.at("lead_time_median_s"), (*item)["lead_time_median_s"]);
      std::string names, rework;
      for (const json& reason : (*item)["failure_reasons"]) {
        names += (names.empty() ? "" : " ") + reason["reason"].get<std::string>();
        const auto stored = std::find_if(reasons.begin(), reasons.end(), [&](const auto& f) {
          return f.at("repository") == (*item)["repository"] &&
                 f.at("finished_at") == (*item)["finished_at"] &&
                 f.at("deployment_ref") == (*item)["ref"] && f.at("reason") == reason["reason"];
        });
        ASSERT_NE(stored, reasons.end()) << reason.dump();
        EXPECT_EQ(stored->at("commit_sha"), reason.value("commit", ""));
        EXPECT_EQ(stored->at("environment"), reason.value("environment", ""));
        EXPECT_EQ(stored->at("reverted_commit"), reason.value("reverted_commit", ""));
        EXPECT_EQ(stored->at("incident_id"), reason.value("incident", ""));
        ++reasons_compared;
      }
      for (const json& word : (*item)["rework_reasons"]) {
        rework += (rework.empty() ? "" : " ") + word.get<std::string>();
      }
      EXPECT_EQ(r.at("failure_reasons"), names);
      EXPECT_EQ(r.at("rework_reasons"), rework);
      rows.erase(row);
      ++compared;
    }
  }
  EXPECT_GT(compared, 4u);
  EXPECT_GT(reasons_compared, 0u) << "the double's history has failed deployments";
  // A repository in no project has rows under the empty key, seen by no project's filter.
  EXPECT_FALSE(ReadOf("deployments", "").empty());
}

TEST_F(AnalyticsCliTest, ChangesAreEachDeploymentsLeadTimeSample) {
  const Rows deployments = ReadOf("deployments", "pa");
  const Rows changes = ReadOf("changes", "pa");
  std::size_t with_changes = 0;
  for (const auto& d : deployments) {
    std::vector<double> leads;
    for (const auto& c : changes) {
      if (c.at("deployment_key") == d.at("deployment_key") &&
          c.at("repository") == d.at("repository")) {
        EXPECT_EQ(c.at("deployed_at"), d.at("finished_at"));
        EXPECT_EQ(c.at("deployment_ref"), d.at("ref"));
        leads.push_back(c.at("lead_time_s").get<double>());
      }
    }
    EXPECT_EQ(leads.size(), d.at("lead_time_sample").get<std::size_t>()) << d.at("ref");
    if (leads.empty()) continue;
    ++with_changes;
    std::sort(leads.begin(), leads.end());
    const std::size_t n = leads.size();
    const double median = n % 2 == 1 ? leads[n / 2] : (leads[n / 2 - 1] + leads[n / 2]) / 2;
    EXPECT_DOUBLE_EQ(median, d.at("lead_time_median_s").get<double>()) << d.at("ref");
  }
  EXPECT_GT(with_changes, 2u);
}

// The API gives neither a deployment's branch nor its start: both are compared with the store's
// own records (the pushed platform deployments; a merge proxy's branch is the default branch).
TEST_F(AnalyticsCliTest, DeploymentsBranchAndStartAreTheirRecords) {
  auto raw = RawStore();
  ASSERT_NE(raw, nullptr);
  std::map<std::string, std::pair<json, json>> records;  // "provider:uuid" -> (branch, started)
  auto stmt = raw->Prepare("SELECT provider, uuid, branch, started_at FROM platform_deployments");
  ASSERT_TRUE(stmt.ok()) << stmt.status().message();
  for (;;) {
    auto row = stmt->Step();
    ASSERT_TRUE(row.ok()) << row.status().message();
    if (!*row) break;
    records[std::string(stmt->ColumnText(0)) + ":" + std::string(stmt->ColumnText(1))] = {
        stmt->ColumnIsNull(2) ? json(nullptr) : json(std::string(stmt->ColumnText(2))),
        stmt->ColumnIsNull(3) ? json(nullptr) : json(common::FormatRfc3339(stmt->ColumnInt(3)))};
  }
  std::size_t with_branch = 0, without = 0;
  for (const auto& row : Read("deployments")) {
    const std::string key = row.at("deployment_key");
    if (key.starts_with("merge:")) {  // a proxy: merges into the default branch
      EXPECT_EQ(row.at("branch"), "main") << key;
      EXPECT_EQ(row.at("started_at"), nullptr) << key;
      continue;
    }
    ASSERT_TRUE(records.contains(key)) << key;
    EXPECT_EQ(row.at("branch"), records[key].first) << key;
    EXPECT_EQ(row.at("started_at"), records[key].second) << key;
    (row.at("branch").is_null() ? without : with_branch) += 1;
  }
  EXPECT_GT(with_branch, 2u);
  EXPECT_GT(without, 2u);
}

// Nor a change's commit and author: each is compared with the store's commit, whose author time
// is the change's lead time before its deployment, and whose author e-mail (lower case) it names.
TEST_F(AnalyticsCliTest, ChangesCommitAndAuthorAreTheStoredCommits) {
  auto raw = RawStore();
  ASSERT_NE(raw, nullptr);
  std::map<std::pair<std::string, std::string>, std::pair<common::UnixSeconds, json>> commits;
  auto stmt = raw->Prepare(
      "SELECT r.location, c.sha, c.author_time, c.author_email FROM commits c JOIN repositories r "
      "ON r.id = c.repo_id");
  ASSERT_TRUE(stmt.ok()) << stmt.status().message();
  for (;;) {
    auto row = stmt->Step();
    ASSERT_TRUE(row.ok()) << row.status().message();
    if (!*row) break;
    const std::string email = common::AsciiLower(stmt->ColumnText(3));
    commits[{std::string(stmt->ColumnText(0)), std::string(stmt->ColumnText(1))}] = {
        stmt->ColumnInt(2), email.empty() ? json(nullptr) : json(email)};
  }
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  std::size_t compared = 0;
  for (const auto& change : Read("changes")) {
    const std::string repository = change.at("repository"), sha = change.at("commit_sha");
    const auto commit = commits.find({repository, sha});
    ASSERT_NE(commit, commits.end()) << repository << " " << sha;
    EXPECT_EQ(change.at("author"), commit->second.second) << sha;
    const common::UnixSeconds deployed =
        *common::ParseRfc3339(change.at("deployed_at").get<std::string>());
    EXPECT_EQ(change.at("lead_time_s").get<common::Seconds>(),
              std::max<common::Seconds>(0, deployed - commit->second.first))
        << sha;
    // A commit is first shipped once: (project_key, repository, commit_sha) is the row's key.
    EXPECT_TRUE(seen.insert({change.at("project_key"), repository, sha}).second) << sha;
    ++compared;
  }
  EXPECT_GT(compared, 4u);
}

TEST_F(AnalyticsCliTest, PullRequestsAndIncidentsEqualTheApis) {
  std::size_t prs = 0, incidents = 0;
  for (const std::string& project : kProjects) {
    const json api = AllItems("/v1/pull-requests?project=" + project + "&" + kWholeHistory);
    const Rows rows = ReadOf("pull_requests", project);
    std::size_t merged = 0;
    for (const auto& row : rows) merged += row.at("merged_at").is_null() ? 0 : 1;
    EXPECT_EQ(merged, api.size()) << project << ": the API lists merged ones";
    for (const json& item : api) {
      const auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) {
        return r.at("repository") == item["repository"] && r.at("number") == item["number"];
      });
      ASSERT_NE(row, rows.end()) << item.dump();
      for (const auto& [field, value] : item.items()) {
        if (field == "repository") continue;
        ASSERT_TRUE(row->contains(field)) << "no column for the API's " << field;
        EXPECT_EQ(row->at(field), value) << field << " of " << item.dump();
      }
      ++prs;
    }
    const json api_incidents = AllItems("/v1/incidents?project=" + project + "&" + kWholeHistory);
    const Rows incident_rows = ReadOf("incidents", project);
    ASSERT_EQ(incident_rows.size(), api_incidents.size()) << project;
    for (const json& item : api_incidents) {
      const auto row = std::find_if(incident_rows.begin(), incident_rows.end(), [&](const auto& r) {
        return r.at("incident_id") == item["id"];
      });
      ASSERT_NE(row, incident_rows.end()) << item.dump();
      for (const std::string field :
           {"source", "service", "severity", "title", "started_at", "resolved_at", "linked_by"}) {
        EXPECT_EQ(row->at(field), item[field]) << field;
      }
      EXPECT_EQ(row->at("deployment_ref"), item["deployment"]);
      ++incidents;
    }
  }
  EXPECT_GT(prs, 4u);
  EXPECT_EQ(incidents, 2u);
}

// The metric rows equal /v1/metrics/dora for the same scope (a repository of the project, or the
// project) and window (the row's day, week or quarter).
TEST_F(AnalyticsCliTest, DailyWeeklyAndQuarterlyMetricsEqualTheMetricsEndpoint) {
  std::size_t compared = 0, with_deployments = 0, with_prs = 0;
  std::map<std::string, int> team_prs;  // pull requests merged in a team's rows, by team
  for (const std::string table : {"metrics_daily", "metrics_weekly", "metrics_quarterly"}) {
    for (const auto& row : ReadOf(table, "pa")) {
      const std::string kind = row.at("scope_kind");
      const std::string scope = kind == "project" ? "project=pa"
                                : kind == "team"
                                    ? "project=pa&team=" + row.at("team").get<std::string>()
                                    : "repo=" + row.at("repository").get<std::string>();
      EXPECT_EQ(row.at("team") != "", kind == "team") << scope;
      if (kind == "team") {
        team_prs[row.at("team")] += row.at("pull_requests_merged").get<int>();
      }
      // The API answers windows ending at most a day from now: the period under way ends at the
      // next midnight instead (no data lies beyond it, and the fields compared are no rates per
      // day).
      const std::string until =
          std::min(*common::ParseRfc3339(row.at("period_end").get<std::string>()),
                   kWholeHistoryUntil) == kWholeHistoryUntil
              ? common::FormatRfc3339(kWholeHistoryUntil)
              : row.at("period_end").get<std::string>();
      const auto [status, body] =
          Get("/v1/metrics/dora?" + scope + "&since=" + row.at("period_start").get<std::string>() +
                  "&until=" + until,
              reader_all_);
      ASSERT_EQ(status, 200) << body.dump();
      const json& s = body["summary"];
      const json& stages = body["pull_request_stages"];
      const std::string where = table + " " + scope + " " + row.at("period_start").dump();
      for (const std::string field :
           {"deployments", "deployment_attempts", "failed_deployments", "change_fail_rate",
            "lead_time_sample", "lead_time_median_s", "lead_time_p75_s", "lead_time_p90_s",
            "lead_time_mean_s", "merge_commits_excluded", "recovery_median_s",
            "unrecovered_failures", "rework_deployments", "rework_rate", "incidents",
            "incidents_linked"}) {
        EXPECT_EQ(row.at(field), s[field]) << field << " of " << where;
      }
      EXPECT_EQ(row.at("recovery_sample"), s["recovery"]["count"]) << where;
      EXPECT_EQ(row.at("pull_requests_merged"), stages["merged"]) << where;
      EXPECT_EQ(row.at("pull_request_total_median_s"), stages["total"]["median_s"]) << where;
      for (const std::string stage : {"coding", "pickup", "review", "deploy"}) {
        EXPECT_EQ(row.at(stage + "_median_s"), stages[stage]["median_s"]) << stage << " " << where;
      }
      ++compared;
      with_deployments += row.at("deployments").get<int>() > 0 ? 1 : 0;
      with_prs += row.at("pull_requests_merged").get<int>() > 0 ? 1 : 0;
    }
  }
  EXPECT_GT(compared, 10u);
  EXPECT_FALSE(ReadOf("metrics_quarterly", "pa").empty());
  // Both teams have rows; only the devs' count pull requests.
  ASSERT_EQ(team_prs.size(), 2u);
  EXPECT_GT(team_prs["devs"], 0);
  EXPECT_EQ(team_prs["ghosts"], 0);
  EXPECT_GT(with_deployments, 2u);
  EXPECT_GT(with_prs, 2u);
}

TEST_F(AnalyticsCliTest, ARefreshRewritesOnlyWhatChangedAndIsRecorded) {
  EXPECT_NE(refresh_output_.find("Analytics refreshed: 5 of 5 scopes rewritten"),
            std::string::npos)
      << refresh_output_;  // three repositories, two projects: all new
  const LeadlineRun again = Leadline("analytics refresh");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("Analytics refreshed: 0 of 5 scopes rewritten, 0 rows"),
            std::string::npos)
      << again.out;
  // A project that takes another repository: its metric rows and both repositories' rows.
  ASSERT_EQ(Leadline("projects create pa --repos acme/repo-1,acme/repo-3").exit_code, 0);
  const LeadlineRun changed = Leadline("analytics refresh");
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_NE(changed.out.find("Analytics refreshed: 2 of 5 scopes rewritten"), std::string::npos)
      << changed.out;
  EXPECT_TRUE(ReadOf("deployments", "").empty());  // acme/repo-3 is pa's now
  const LeadlineRun full = Leadline("analytics refresh --full");
  ASSERT_EQ(full.exit_code, 0) << full.err;
  EXPECT_NE(full.out.find("Analytics rebuilt: 5 of 5 scopes rewritten"), std::string::npos)
      << full.out;
  auto store = store::OpenStore(db());
  ASSERT_TRUE(store.ok());
  const auto last = (*store)->analytics().LastAnalyticsRefresh();
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_TRUE((*last)->full);
  EXPECT_EQ((*last)->scopes_rewritten, 5);
  ASSERT_TRUE((*last)->watermark.has_value());
  EXPECT_LE(*(*last)->watermark, common::NowUnixSeconds());
}

TEST_F(AnalyticsCliTest, AProjectNameThatIsNoKeyIsAClearError) {
  ASSERT_EQ(Leadline("projects create team_a --repos acme/repo-1").exit_code, 0);
  const LeadlineRun run = Leadline("analytics refresh");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("leadline: error: analytics refresh: project 'team_a': a name with ',', "
                         "'%' or '_' is no analytics key"),
            std::string::npos)
      << run.err;
}

TEST_F(AnalyticsCliTest, ExportsATablesRowsAsCsv) {
  const LeadlineRun run = Leadline("export csv --table deployments --project pa --window 90d");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const Rows rows = ReadOf("deployments", "pa");
  ASSERT_FALSE(rows.empty());
  std::vector<std::string> lines;
  for (std::size_t at = 0, end; (end = run.out.find("\r\n", at)) != std::string::npos;
       at = end + 2) {
    lines.push_back(run.out.substr(at, end - at));
  }
  ASSERT_EQ(lines.size(), rows.size() + 1) << run.out;
  EXPECT_TRUE(lines[0].starts_with("project_key,repository,deployment_key,source,")) << lines[0];
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_TRUE(lines[i].starts_with("pa,acme/repo-1,")) << lines[i];
    EXPECT_NE(lines[i].find("," + rows[i - 1].at("finished_at").get<std::string>() + ","),
              std::string::npos)
        << lines[i];
  }
  // A window before the history holds no rows: the header alone.
  const LeadlineRun old = Leadline(
      "export csv --table deployments --project pa --window 1d --until 2001-01-01T00:00:00Z");
  ASSERT_EQ(old.exit_code, 0) << old.err;
  EXPECT_EQ(old.out, lines[0] + "\r\n");
}

TEST_F(AnalyticsCliTest, ExportRefusesBadInputClearly) {
  struct Case {
    std::string args, error;
  };
  for (const Case& bad : std::vector<Case>{
           {"--table deploys", "no analytics table 'deploys' (tables: deployments, changes, "},
           {"--table deployments --project nope", "no project 'nope'"},
           {"--table deployments --window soon", "--window (or 'all'): "},
           {"--table deployments --until yesterday", "--until: "}}) {
    const LeadlineRun run = Leadline("export csv " + bad.args);
    EXPECT_EQ(run.exit_code, 1) << bad.args;
    EXPECT_NE(run.err.find("leadline: error: " + bad.error), std::string::npos)
        << bad.args << ": " << run.err;
    EXPECT_EQ(run.out, "") << bad.args;
  }
}

// An empty store has no analytics yet: the export says what to run.
TEST_F(ServeCliTest, ExportBeforeAnyRefreshSaysToRefresh) {
  const LeadlineRun run = Leadline("export csv --table deployments");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("the analytics tables were never refreshed: run `leadline analytics "
                         "refresh` first"),
            std::string::npos)
      << run.err;
}

// `serve --analytics`: the tables are refreshed at start, and again, only where the numbers
// changed, when a pushed deployment lands.
class AnalyticsServeTest : public ReadApiTest {
 protected:
  void BeforeServe() override { pusher_ = Token("--name pusher --scopes write:events"); }
  std::string ServeArguments() const override { return "--analytics"; }

  // The newest refresh once one newer than `after` (by count of refreshes) is recorded.
  std::optional<store::AnalyticsRefreshRecord> AwaitRefresh(std::int64_t refreshes_before) {
    for (int tries = 0; tries < 200; ++tries) {
      if (Count("SELECT COUNT(*) FROM " + Table("refreshes")) > refreshes_before) {
        auto store = store::OpenStore(db());
        if (store.ok()) {
          auto last = (*store)->analytics().LastAnalyticsRefresh();
          if (last.ok() && last->has_value()) return **last;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return std::nullopt;
  }
  std::string Table(const std::string& name) const {
    return OnPostgres() ? "leadline_analytics." + name : "analytics_" + name;
  }
  std::int64_t Count(const std::string& sql) {
    auto raw = RawStore();
    if (raw == nullptr) return -1;
    auto stmt = raw->Prepare(sql);
    if (!stmt.ok()) return -1;
    auto row = stmt->Step();
    return row.ok() && *row ? stmt->ColumnInt(0) : -1;
  }
  std::string LastCommitOf(const std::string& repository) {
    auto raw = RawStore();
    auto stmt = raw->Prepare(
        "SELECT c.sha FROM commits c JOIN repositories r ON r.id = c.repo_id WHERE r.location = "
        "? ORDER BY c.committer_time DESC, c.sha LIMIT 1");
    EXPECT_TRUE(stmt.ok());
    stmt->Bind(1, std::string_view(repository));
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row);
    return std::string(stmt->ColumnText(0));
  }

  std::string pusher_;
};

TEST_F(AnalyticsServeTest, RefreshesAtStartAndOnlyWhatChangedWhenDataLands) {
  const auto first = AwaitRefresh(0);
  ASSERT_TRUE(first.has_value()) << "no refresh at start";
  EXPECT_EQ(first->scopes_rewritten, 5);  // three repositories, two projects
  const std::int64_t rows_before =
      Count("SELECT COUNT(*) FROM " + Table("deployments") + " WHERE repository = 'acme/repo-2'");

  const nlohmann::json push = {
      {"deployments",
       {{{"id", "late-1"},
         {"repository", "acme/repo-2"},
         {"environment", "production"},
         {"commit", LastCommitOf("acme/repo-2")},
         {"status", "success"},
         {"finished_at", common::FormatRfc3339(common::NowUnixSeconds() - 60)}}}}};
  auto response =
      client_->Post("/v1/deployments", Bearer(pusher_), push.dump(), "application/json");
  ASSERT_TRUE(response);
  ASSERT_LT(response->status, 300) << response->body;
  const auto second = AwaitRefresh(1);
  ASSERT_TRUE(second.has_value()) << "no refresh after the push";
  EXPECT_FALSE(second->full);
  EXPECT_EQ(second->scopes_rewritten, 2);  // acme/repo-2 and its project pb
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM " + Table("deployments") + " WHERE repository = 'acme/repo-2'"),
      rows_before + 1);
}

}  // namespace
}  // namespace leadline::testing
