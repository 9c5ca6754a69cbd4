#include "app/analytics_rows.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>

#include "engine/benchmark_levels.h"

namespace leadline::app {
namespace {

using store::AnalyticsRow;
using store::AnalyticsValue;

// Positions in store::AnalyticsTables().
enum TableIndex : std::size_t {
  kDeployments,
  kChanges,
  kPullRequests,
  kIncidents,
  kFailureReasons,
  kMetricsDaily,
  kMetricsWeekly,
  kMetricsQuarterly,
  kTableCount
};

AnalyticsValue Int(std::int64_t value) { return value; }
AnalyticsValue Flag(bool value) { return std::int64_t{value ? 1 : 0}; }
AnalyticsValue Text(std::string value) { return value; }
template <typename T>
AnalyticsValue OrNull(const std::optional<T>& value) {
  if (!value) return std::monostate();
  if constexpr (std::is_same_v<T, double>) {
    return *value;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return *value;
  } else {
    return static_cast<std::int64_t>(*value);
  }
}
// A distribution's median, or NULL for an empty sample (as the API's null).
AnalyticsValue Median(const engine::Distribution& d) {
  return d.count > 0 ? AnalyticsValue(d.median) : AnalyticsValue();
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

ScopeRows EmptyRows(store::AnalyticsScope scope) {
  ScopeRows rows;
  rows.scope = std::move(scope);
  rows.tables.resize(kTableCount);
  return rows;
}

// The first and last second with data among the facts: deployments, merged pull requests and
// counted incidents.
std::optional<std::pair<common::UnixSeconds, common::UnixSeconds>> ActiveSpan(
    const std::vector<const engine::RepositoryFacts*>& scope) {
  std::optional<std::pair<common::UnixSeconds, common::UnixSeconds>> span;
  const auto see = [&](common::UnixSeconds t) {
    if (!span) {
      span.emplace(t, t);
    } else {
      span->first = std::min(span->first, t);
      span->second = std::max(span->second, t);
    }
  };
  for (const engine::RepositoryFacts* facts : scope) {
    if (!facts->deployments.empty()) {
      see(facts->deployments.front().finished_at);
      see(facts->deployments.back().finished_at);
    }
    if (!facts->pull_requests.empty()) {
      see(facts->pull_requests.front().merged_at);
      see(facts->pull_requests.back().merged_at);
    }
    if (!facts->incidents.empty()) {
      see(facts->incidents.front().started_at);
      see(facts->incidents.back().started_at);
    }
  }
  return span;
}

// What a metric row covers: a UTC day, a week from Monday, or a calendar quarter.
enum class Period { kDay, kWeek, kQuarter };

common::UnixSeconds PeriodStart(Period period, common::UnixSeconds t) {
  switch (period) {
    case Period::kDay:
      return DayStart(t);
    case Period::kWeek:
      return WeekStart(t);
    case Period::kQuarter:
      return QuarterStart(t);
  }
  return t;
}

// The start of the period after the one that starts at `start`.
common::UnixSeconds NextPeriod(Period period, common::UnixSeconds start) {
  switch (period) {
    case Period::kDay:
      return start + common::kDay;
    case Period::kWeek:
      return start + 7 * common::kDay;
    case Period::kQuarter:
      return QuarterStart(start + 100 * common::kDay);  // a quarter lasts 90 to 92 days
  }
  return start;
}

// What a metric row is of: a repository ("repository" and its location), a project ("project"),
// or a team within a project ("team", its name, and its members' ids: its rows' pull-request
// figures count only their pull requests).
struct MetricScope {
  std::string kind;
  std::string repository;
  std::string team;
  std::optional<std::vector<std::uint32_t>> members;
};

// One metric row per period from the period holding the scope's first data to the one holding
// its last, each the scope query over [start, next start).
common::Status AddMetricRows(const std::vector<const engine::RepositoryFacts*>& scope,
                             const std::string& project_key, const MetricScope& of, Period period,
                             std::vector<AnalyticsRow>& out) {
  const auto span = ActiveSpan(scope);
  if (!span) return common::Status::Ok();
  for (common::UnixSeconds start = PeriodStart(period, span->first), end; start <= span->second;
       start = end) {
    end = NextPeriod(period, start);
    const common::Seconds length = end - start;
    const engine::ScopeQuery query{
        {start, start + length}, engine::DefaultBenchmarkYear(), of.members};
    LEADLINE_ASSIGN_OR_RETURN(const engine::ScopeMetrics metrics, engine::QueryScope(scope, query));
    const engine::Summary& s = metrics.summary;
    const engine::StageSummary& st = metrics.stages;
    const bool lead = s.lead_time_s.count > 0;
    out.push_back({Text(project_key),
                   Text(of.kind),
                   Text(of.repository),
                   Text(of.team),
                   Int(start),
                   Int(start + length),
                   Int(static_cast<std::int64_t>(s.deployments)),
                   Int(static_cast<std::int64_t>(s.deployment_attempts)),
                   Int(static_cast<std::int64_t>(s.failed_deployments)),
                   OrNull(s.change_fail_rate),
                   Int(static_cast<std::int64_t>(s.lead_time_s.count)),
                   lead ? AnalyticsValue(s.lead_time_s.median) : AnalyticsValue(),
                   lead ? AnalyticsValue(s.lead_time_s.p75) : AnalyticsValue(),
                   lead ? AnalyticsValue(s.lead_time_s.p90) : AnalyticsValue(),
                   lead ? AnalyticsValue(s.lead_time_s.mean) : AnalyticsValue(),
                   Int(static_cast<std::int64_t>(s.merge_commits_excluded)),
                   Int(static_cast<std::int64_t>(s.recovery_s.count)),
                   Median(s.recovery_s),
                   Int(static_cast<std::int64_t>(s.unrecovered_failures)),
                   Int(static_cast<std::int64_t>(s.rework_deployments)),
                   OrNull(s.rework_rate),
                   Int(static_cast<std::int64_t>(s.incidents)),
                   Int(static_cast<std::int64_t>(s.incidents_linked)),
                   Int(static_cast<std::int64_t>(st.merged)),
                   Median(st.total),
                   Median(st.coding),
                   Median(st.pickup),
                   Median(st.review),
                   Median(st.deploy)});
  }
  return common::Status::Ok();
}

void AddDeploymentRows(const query::RepositoryView& repo, const std::string& key, ScopeRows& rows) {
  const std::string& location = repo.repository.location;
  for (const engine::DeploymentRow& row : repo.report.deployments) {
    const model::Deployment& d = repo.deployments[row.index];
    std::vector<std::string> reasons;
    for (const engine::FailureEvidence& reason : row.failure_reasons) {
      reasons.push_back(reason.reason);
      rows.tables[kFailureReasons].push_back({Text(key), Text(location), Text(d.natural_key),
                                              Text(d.ref), Int(d.finished_at), Text(reason.reason),
                                              Text(reason.environment), Text(reason.commit),
                                              Text(reason.reverted), Text(reason.branch),
                                              Text(reason.incident), Text(reason.linked_by)});
    }
    rows.tables[kDeployments].push_back({Text(key),
                                         Text(location),
                                         Text(d.natural_key),
                                         Text(d.source),
                                         Text(d.environment),
                                         Text(d.ref),
                                         Text(d.sha),
                                         Int(d.finished_at),
                                         Text(model::DeploymentStatusName(d.status)),
                                         Flag(repo.facts.proxy),
                                         Flag(row.failed()),
                                         Text(Joined(reasons)),
                                         Int(row.change_count),
                                         Int(static_cast<std::int64_t>(row.credited_changes)),
                                         OrNull(row.lead_time_median_s),
                                         Flag(row.lookback_applied),
                                         OrNull(row.restored_by),
                                         OrNull(row.restored_by_incident),
                                         OrNull(row.recovery_s),
                                         Flag(!row.rework_reasons.empty()),
                                         Text(Joined(row.rework_reasons)),
                                         d.branch.empty() ? AnalyticsValue() : Text(d.branch),
                                         OrNull(d.started_at)});
    // Its changes with a lead time, as the metrics count them (merge commits excluded), with
    // their commits and authors where the facts kept them.
    if (row.index < repo.facts.deployments.size()) {
      const engine::DeploymentFact& fact = repo.facts.deployments[row.index];
      const engine::ChangeCommits& commits = repo.facts.change_commits;
      const bool known = commits.ids.size() == repo.facts.changes.size();
      for (std::uint32_t c = fact.first_change; c < fact.end_change; ++c) {
        const engine::ChangeFact& change = repo.facts.changes[c];
        const std::string* author = known ? commits.Author(c) : nullptr;
        rows.tables[kChanges].push_back({Text(key), Text(location), Text(d.natural_key),
                                         Text(d.ref), Text(d.sha), Int(change.deployed_at),
                                         Int(change.lead_s),
                                         Text(known ? commits.ids[c].Hex() : std::string()),
                                         author != nullptr ? Text(*author) : AnalyticsValue()});
      }
    }
  }
}

void AddPullRequestRows(const query::RepositoryView& repo, const std::string& key,
                        ScopeRows& rows) {
  for (const engine::PullRequestStages& pr : repo.pull_requests) {
    const auto size = [&](int model::DiffStats::*field) {
      return pr.size ? Int((*pr.size).*field) : AnalyticsValue();
    };
    rows.tables[kPullRequests].push_back(
        {Text(key),
         Text(repo.repository.location),
         Int(pr.number),
         Text(pr.title),
         Text(model::PullRequestStateName(pr.state)),
         Text(pr.author.name.empty() ? pr.author.id : pr.author.name),
         Flag(pr.bot),
         Text(engine::PullRequestProgressName(pr.progress)),
         Int(static_cast<std::int64_t>(pr.commits)),
         size(&model::DiffStats::files_changed),
         size(&model::DiffStats::lines_added),
         size(&model::DiffStats::lines_deleted),
         Int(static_cast<std::int64_t>(pr.review_comments)),
         Int(static_cast<std::int64_t>(pr.reviewers)),
         Flag(pr.commits_estimated()),
         Flag(pr.before_first_lookback),
         OrNull(pr.first_commit_at),
         Int(pr.created_at),
         OrNull(pr.first_review_at),
         OrNull(pr.merged_at),
         OrNull(pr.deployed_at),
         OrNull(pr.coding),
         OrNull(pr.pickup),
         OrNull(pr.review),
         OrNull(pr.deploy),
         OrNull(pr.total)});
  }
}

void AddIncidentRows(const query::RepositoryView& repo, const std::string& key, ScopeRows& rows) {
  for (const engine::IncidentRow& incident : repo.report.incidents) {
    rows.tables[kIncidents].push_back({Text(key), Text(repo.repository.location), Text(incident.id),
                                       Text(incident.source), Text(incident.service),
                                       Text(incident.severity), Text(incident.title),
                                       Int(incident.started_at), OrNull(incident.resolved_at),
                                       Text(incident.linked_by), OrNull(incident.deployment)});
  }
}

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

void Mix(std::uint64_t& hash, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= bytes[i];
    hash *= kFnvPrime;
  }
}

}  // namespace

std::size_t ScopeRows::RowCount() const {
  std::size_t count = 0;
  for (const auto& table : tables) count += table.size();
  return count;
}

std::string ScopeRows::Digest() const {
  std::uint64_t hash = kFnvOffset;
  for (std::size_t t = 0; t < tables.size(); ++t) {
    const std::uint64_t marker = 0xA000000000000000ull | t;  // where a table's rows begin
    Mix(hash, &marker, sizeof(marker));
    for (const AnalyticsRow& row : tables[t]) {
      for (const AnalyticsValue& value : row) {
        const auto kind = static_cast<unsigned char>(value.index());
        Mix(hash, &kind, 1);
        if (const auto* number = std::get_if<std::int64_t>(&value)) {
          Mix(hash, number, sizeof(*number));
        } else if (const auto* real = std::get_if<double>(&value)) {
          const auto bits = std::bit_cast<std::uint64_t>(*real);
          Mix(hash, &bits, sizeof(bits));
        } else if (const auto* text = std::get_if<std::string>(&value)) {
          const std::uint64_t size = text->size();
          Mix(hash, &size, sizeof(size));
          Mix(hash, text->data(), text->size());
        }
      }
    }
  }
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

common::Result<std::map<std::int64_t, std::vector<std::string>>> ProjectKeys(
    const query::MetricsView& view) {
  std::map<std::int64_t, std::vector<std::string>> keys;
  for (const model::Project& project : view.projects) {
    if (project.name.empty() || project.name.find_first_of(",%_") != std::string::npos) {
      return common::Status::InvalidArgument(
          "project '" + project.name +
          "': a name with ',', '%' or '_' is no analytics key (BI access filters read ',' as "
          "\"or\" and '%' and '_' as wildcards); create the project under a name without them");
    }
    for (const std::int64_t id : project.repository_ids) keys[id].push_back(project.name);
  }
  for (const query::RepositoryView& repo : view.repositories) {
    auto& of_repo = keys[repo.repository.id];
    if (of_repo.empty()) of_repo.push_back("");
  }
  return keys;
}

common::UnixSeconds DayStart(common::UnixSeconds t) {
  const common::UnixSeconds day = t >= 0 ? t / common::kDay : (t - common::kDay + 1) / common::kDay;
  return day * common::kDay;
}

common::UnixSeconds QuarterStart(common::UnixSeconds t) {
  using namespace std::chrono;
  const year_month_day date{sys_days{days{DayStart(t) / common::kDay}}};
  const unsigned first_month = (static_cast<unsigned>(date.month()) - 1) / 3 * 3 + 1;
  const sys_days first{date.year() / month{first_month} / 1};
  return static_cast<common::UnixSeconds>(first.time_since_epoch().count()) * common::kDay;
}

common::UnixSeconds WeekStart(common::UnixSeconds t) {
  const common::UnixSeconds day = DayStart(t) / common::kDay;  // day 0, 1970-01-01, a Thursday
  const common::UnixSeconds since_monday = ((day + 3) % 7 + 7) % 7;
  return (day - since_monday) * common::kDay;
}

common::Result<ScopeRows> RepositoryRows(const query::RepositoryView& repo,
                                         const std::vector<std::string>& project_keys) {
  ScopeRows rows = EmptyRows({store::AnalyticsScope::Kind::kRepository, repo.repository.location});
  const std::vector<const engine::RepositoryFacts*> scope = {&repo.facts};
  for (const std::string& key : project_keys) {
    AddDeploymentRows(repo, key, rows);
    AddPullRequestRows(repo, key, rows);
    AddIncidentRows(repo, key, rows);
    for (const auto& [period, table] :
         {std::pair{Period::kDay, kMetricsDaily}, std::pair{Period::kWeek, kMetricsWeekly},
          std::pair{Period::kQuarter, kMetricsQuarterly}}) {
      LEADLINE_RETURN_IF_ERROR(AddMetricRows(scope, key,
                                             {"repository", repo.repository.location, "", {}},
                                             period, rows.tables[table]));
    }
  }
  return rows;
}

common::Result<ScopeRows> ProjectRows(const query::MetricsView& view,
                                      const model::Project& project) {
  ScopeRows rows = EmptyRows({store::AnalyticsScope::Kind::kProject, project.name});
  std::vector<const engine::RepositoryFacts*> scope;
  for (const query::RepositoryView& repo : view.repositories) {
    if (std::find(project.repository_ids.begin(), project.repository_ids.end(),
                  repo.repository.id) != project.repository_ids.end()) {
      scope.push_back(&repo.facts);
    }
  }
  for (const auto& [period, table] :
       {std::pair{Period::kDay, kMetricsDaily}, std::pair{Period::kWeek, kMetricsWeekly},
        std::pair{Period::kQuarter, kMetricsQuarterly}}) {
    LEADLINE_RETURN_IF_ERROR(
        AddMetricRows(scope, project.name, {"project", "", "", {}}, period, rows.tables[table]));
    // Each team of leadline.toml within the project: the project's numbers with the team's pull
    // requests only, as `report --team` and the API's `team` give them.
    for (const auto& [team, members] : view.teams) {
      LEADLINE_RETURN_IF_ERROR(AddMetricRows(scope, project.name,
                                             {"team", "", team, view.people.Find(members)}, period,
                                             rows.tables[table]));
    }
  }
  return rows;
}

std::optional<common::UnixSeconds> DataWatermark(const query::MetricsView& view) {
  std::optional<common::UnixSeconds> newest;
  const auto see = [&](std::optional<common::UnixSeconds> t) {
    if (t && (!newest || *t > *newest)) newest = t;
  };
  for (const query::RepositoryView& repo : view.repositories) {
    for (const model::Deployment& d : repo.deployments) see(d.finished_at);
    for (const engine::PullRequestStages& pr : repo.pull_requests) {
      see(pr.created_at);
      see(pr.merged_at);
    }
    for (const engine::IncidentRow& incident : repo.report.incidents) {
      see(incident.started_at);
      see(incident.resolved_at);
    }
  }
  return newest;
}

}  // namespace leadline::app
