#include "engine/scope_metrics.h"

#include <algorithm>

#include "common/text.h"

namespace leadline::engine {
namespace {

using common::kDay;
using common::kWeek;
using common::UnixSeconds;

double Days(common::Seconds s) { return static_cast<double>(s) / kDay; }

// The [first, last) range of `items` whose time (by `time_of`) is in the window.
template <typename T, typename TimeOf>
std::span<const T> InWindow(const std::vector<T>& items, const ReportWindow& window,
                            TimeOf time_of) {
  const auto first =
      std::lower_bound(items.begin(), items.end(), window.since,
                       [&](const T& item, UnixSeconds t) { return time_of(item) < t; });
  const auto last =
      std::lower_bound(first, items.end(), window.until,
                       [&](const T& item, UnixSeconds t) { return time_of(item) < t; });
  return {first, last};
}

// Weekly buckets counted back from the window's end: medians of deploys and deploy days per week.
// Only the weeks with deployments are held, the others counted as zeros, so that the cost follows
// the deployments whatever the window's length.
FrequencyMeasures Frequency(const std::vector<UnixSeconds>& sorted_successes,
                            const ReportWindow& window) {
  FrequencyMeasures f;
  const common::Seconds span = window.until - window.since;
  if (span <= 0) return f;
  const double count = static_cast<double>(sorted_successes.size());
  f.deploys_per_day = count / Days(span);
  f.deploys_per_month = count / (Days(span) / 30.0);
  const std::int64_t weeks = std::max<std::int64_t>(1, span / kWeek);
  std::vector<double> per_week;  // of the weeks with deployments
  std::vector<double> day_counts;
  std::int64_t current_week = -1;
  std::int64_t current_day = 0;
  for (UnixSeconds t : sorted_successes) {
    const std::int64_t week = (window.until - 1 - t) / kWeek;
    if (week >= weeks) continue;  // before the first whole week
    if (week != current_week) {
      current_week = week;
      per_week.push_back(0);
      day_counts.push_back(1);
      current_day = t / kDay;
    } else if (t / kDay != current_day) {
      current_day = t / kDay;
      day_counts.back() += 1;
    }
    per_week.back() += 1;
  }
  const std::size_t empty_weeks = static_cast<std::size_t>(weeks) - per_week.size();
  std::sort(per_week.begin(), per_week.end());
  std::sort(day_counts.begin(), day_counts.end());
  f.deploys_per_week = QuantileAfterZeros(per_week, empty_weeks, 0.5);
  f.deploy_days_per_week = QuantileAfterZeros(day_counts, empty_weeks, 0.5);
  return f;
}

bool InTeam(const ScopeQuery& query, std::uint32_t person) {
  return !query.team || std::binary_search(query.team->begin(), query.team->end(), person);
}

}  // namespace

namespace {

std::string PersonKey(const model::PlatformUser& user) {
  return user.id.empty() ? "name:" + user.name : user.id;
}

}  // namespace

std::uint32_t PeopleIndex::Intern(const model::PlatformUser& user) {
  const auto [it, inserted] =
      by_id_.emplace(PersonKey(user), static_cast<std::uint32_t>(people_.size()));
  if (inserted) {
    people_.push_back(user);
    emails_.emplace_back();
  }
  return it->second;
}

void PeopleIndex::LinkEmail(std::uint32_t person, const std::string& email) {
  std::vector<std::string>& emails = emails_[person];
  if (std::find(emails.begin(), emails.end(), email) == emails.end()) emails.push_back(email);
}

std::optional<std::uint32_t> PeopleIndex::Lookup(const model::PlatformUser& user) const {
  const auto found = by_id_.find(PersonKey(user));
  if (found == by_id_.end()) return std::nullopt;
  return found->second;
}

std::vector<std::uint32_t> PeopleIndex::Find(const std::vector<std::string>& members) const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < people_.size(); ++i) {
    for (const std::string& member : members) {
      const auto& emails = emails_[i];
      if (common::EqualsIgnoringCase(member, people_[i].id) ||
          (!people_[i].name.empty() && common::EqualsIgnoringCase(member, people_[i].name)) ||
          std::any_of(emails.begin(), emails.end(), [&](const std::string& email) {
            return common::EqualsIgnoringCase(member, email);
          })) {
        out.push_back(i);
        break;
      }
    }
  }
  return out;
}

RepositoryFacts CollectFacts(std::string location, bool proxy, const Snapshot& snapshot,
                             std::span<const model::Deployment> deployments,
                             const DeploymentAnalysis& analysis,
                             std::span<const PullRequestStages> stages, PeopleIndex& people,
                             bool keep_change_commits) {
  const CommitGraph& graph = snapshot.graph;
  RepositoryFacts facts;
  ChangeCommits& commits = facts.change_commits;
  if (keep_change_commits) commits.emails = snapshot.author_emails;
  facts.location = std::move(location);
  facts.proxy = proxy;
  facts.deployments.reserve(deployments.size());
  for (std::size_t i = 0; i < deployments.size(); ++i) {
    const model::Deployment& d = deployments[i];
    const DeploymentOutcome& outcome = analysis.outcomes[i];
    DeploymentFact fact;
    fact.finished_at = d.finished_at;
    fact.success = d.status == model::DeploymentStatus::kSuccess;
    fact.failed = outcome.failed();
    fact.rework = outcome.rework();
    fact.recovery_s = RecoverySeconds(outcome, d.finished_at);
    fact.first_change = static_cast<std::uint32_t>(facts.changes.size());
    // Lead times of its credited changes; merge commits carry no authored change.
    for (CommitIndex c : analysis.attribution.deployments[i].credited) {
      if (graph.is_merge(c)) {
        ++fact.merges_excluded;
        continue;
      }
      facts.changes.push_back(
          {d.finished_at, std::max<common::Seconds>(0, d.finished_at - graph.author_time(c))});
      if (keep_change_commits) {
        commits.ids.push_back(graph.id(c));
        commits.authors.push_back(c < snapshot.author_email_of.size() ? snapshot.author_email_of[c]
                                                                      : kNoEmail);
      }
    }
    fact.end_change = static_cast<std::uint32_t>(facts.changes.size());
    facts.deployments.push_back(fact);
  }
  for (const PullRequestStages& row : stages) {
    if (!row.merged_at) continue;
    const std::uint32_t author = people.Intern(row.author);
    if (row.commit_email != kNoEmail) {
      people.LinkEmail(author, snapshot.author_emails[row.commit_email]);
    }
    facts.pull_requests.push_back({*row.merged_at, author, row.bot, row.commits_unknown,
                                   row.before_first_lookback, row.coding, row.pickup, row.review,
                                   row.deploy, row.total, LinesChanged(row.size)});
  }
  std::stable_sort(
      facts.pull_requests.begin(), facts.pull_requests.end(),
      [](const PullRequestFact& a, const PullRequestFact& b) { return a.merged_at < b.merged_at; });
  for (std::size_t i = 0; i < analysis.incidents.size(); ++i) {
    facts.incidents.push_back(
        {analysis.incidents[i].started_at, analysis.incident_links[i].deployment.has_value()});
  }
  std::stable_sort(
      facts.incidents.begin(), facts.incidents.end(),
      [](const IncidentFact& a, const IncidentFact& b) { return a.started_at < b.started_at; });
  return facts;
}

namespace {

constexpr std::size_t kSumBlock = 64;

}  // namespace

std::int64_t LeadTimeIndex::Sum(std::span<const ChangeFact> changes, std::size_t begin,
                                std::size_t end) const {
  const auto prefix = [&](std::size_t i) {
    std::int64_t sum = blocks[i / kSumBlock];
    for (std::size_t c = i - i % kSumBlock; c < i; ++c) sum += changes[c].lead_s;
    return sum;
  };
  return prefix(end) - prefix(begin);
}

void IndexLeadTimes(RepositoryFacts& facts) {
  std::vector<std::uint64_t> values;
  values.reserve(facts.changes.size());
  LeadTimeIndex index;
  index.blocks.reserve(facts.changes.size() / kSumBlock + 1);
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < facts.changes.size(); ++i) {
    if (i % kSumBlock == 0) index.blocks.push_back(sum);
    const common::Seconds lead = facts.changes[i].lead_s;
    if (lead < 0) return;  // CollectFacts never gives one; leave such facts to the plain path
    values.push_back(static_cast<std::uint64_t>(lead));
    sum += lead;
  }
  if (facts.changes.size() % kSumBlock == 0) index.blocks.push_back(sum);
  index.lead_s = WaveletMatrix(values);
  facts.lead_index = std::move(index);
}

common::Result<ScopeMetrics> QueryScope(std::span<const RepositoryFacts* const> scope,
                                        const ScopeQuery& query) {
  const ReportWindow& window = query.window;
  ScopeMetrics out;
  Summary& s = out.summary;
  s.window = window;
  s.window_days = Days(window.until - window.since);
  std::vector<double> recoveries;
  std::vector<UnixSeconds> successes;
  StageSampler stages;
  // The lead times are most of a large query's values: read by rank from the repositories'
  // indexes where every one has its index, else gathered into one allocation of their number.
  const auto changes_of = [&](const RepositoryFacts& repository) {
    return InWindow(repository.changes, window, [](const ChangeFact& f) { return f.deployed_at; });
  };
  bool indexed = true;
  std::size_t change_count = 0;
  for (const RepositoryFacts* repository : scope) {
    change_count += changes_of(*repository).size();
    indexed = indexed && repository->lead_index.has_value();
  }
  std::vector<double> lead_times;
  if (!indexed) lead_times.reserve(change_count);
  std::vector<WaveletMatrix::Range> lead_ranges;
  std::int64_t lead_sum = 0;
  for (const RepositoryFacts* repository : scope) {
    ++out.repositories;
    out.proxy_repositories += repository->proxy ? 1 : 0;
    for (const DeploymentFact& d :
         InWindow(repository->deployments, window,
                  [](const DeploymentFact& f) { return f.finished_at; })) {
      ++s.deployment_attempts;
      s.merge_commits_excluded += d.merges_excluded;
      if (d.success) {
        ++s.deployments;
        successes.push_back(d.finished_at);
      }
      s.rework_deployments += d.rework ? 1 : 0;
      if (!d.failed) continue;
      ++s.failed_deployments;
      if (d.recovery_s) {
        recoveries.push_back(static_cast<double>(*d.recovery_s));
      } else {
        ++s.unrecovered_failures;
      }
    }
    const std::span<const ChangeFact> changes = changes_of(*repository);
    if (indexed) {
      const auto begin = static_cast<std::size_t>(changes.data() - repository->changes.data());
      const std::size_t end = begin + changes.size();
      lead_ranges.push_back({&repository->lead_index->lead_s, begin, end});
      lead_sum += repository->lead_index->Sum(repository->changes, begin, end);
    } else {
      for (const ChangeFact& c : changes) lead_times.push_back(static_cast<double>(c.lead_s));
    }
    for (const PullRequestFact& pr :
         InWindow(repository->pull_requests, window,
                  [](const PullRequestFact& f) { return f.merged_at; })) {
      if (!InTeam(query, pr.author)) continue;
      stages.Add({pr.bot, pr.commits_unknown != CommitsUnknown::kNo, pr.before_first_lookback},
                 {pr.coding, pr.pickup, pr.review, pr.deploy, pr.total}, pr.lines_changed);
    }
    for (const IncidentFact& i : InWindow(repository->incidents, window,
                                          [](const IncidentFact& f) { return f.started_at; })) {
      ++s.incidents;
      s.incidents_linked += i.linked ? 1 : 0;
    }
  }
  out.stages = stages.Finish();

  std::sort(successes.begin(), successes.end());
  s.frequency = Frequency(successes, window);
  if (successes.size() >= 2) {
    std::vector<double> gaps;
    gaps.reserve(successes.size() - 1);
    for (std::size_t i = 1; i < successes.size(); ++i) {
      gaps.push_back(static_cast<double>(successes[i] - successes[i - 1]));
    }
    s.median_time_between_deployments_s = Summarize(gaps).median;
  }
  s.lead_time_s =
      indexed ? SummarizeByRank(
                    change_count, static_cast<double>(lead_sum),
                    [&](std::span<const std::size_t> ranks, std::span<double> at) {
                      for (std::size_t i = 0; i < ranks.size(); ++i) {
                        at[i] = static_cast<double>(WaveletMatrix::Select(lead_ranges, ranks[i]));
                      }
                    })
              : Summarize(lead_times);
  s.recovery_s = Summarize(recoveries);
  if (s.deployment_attempts > 0) {
    const double attempts = static_cast<double>(s.deployment_attempts);
    s.change_fail_rate = static_cast<double>(s.failed_deployments) / attempts;
    s.rework_rate = static_cast<double>(s.rework_deployments) / attempts;
  }

  LevelInputs inputs;
  if (s.window_days > 0) inputs.deployment_frequency = s.frequency;
  if (s.lead_time_s.count > 0) inputs.lead_time_s = s.lead_time_s.median;
  inputs.change_fail_rate = s.change_fail_rate;
  if (s.recovery_s.count > 0) inputs.recovery_s = s.recovery_s.median;
  LEADLINE_ASSIGN_OR_RETURN(s.levels, ClassifyLevels(query.benchmark_year, inputs));
  return out;
}

namespace {

std::optional<double> MedianIfAny(const Distribution& d) {
  return d.count > 0 ? std::optional<double>(d.median) : std::nullopt;
}

}  // namespace

common::Result<std::vector<TrendPoint>> WeeklyTrend(std::span<const RepositoryFacts* const> scope,
                                                    const ScopeQuery& query) {
  const std::int64_t weeks = (query.window.until - query.window.since) / kWeek;
  if (weeks > kMaxTrendWeeks) {
    return common::Status::InvalidArgument(
        "a weekly trend has at most " + std::to_string(kMaxTrendWeeks) +
        " weeks (20 years), and this window has " + std::to_string(weeks) + ": narrow the window");
  }
  std::vector<TrendPoint> out;
  out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(0, weeks)));
  for (std::int64_t w = weeks; w >= 1; --w) {
    ScopeQuery week = query;
    week.window = {query.window.until - w * kWeek, query.window.until - (w - 1) * kWeek};
    LEADLINE_ASSIGN_OR_RETURN(const ScopeMetrics metrics, QueryScope(scope, week));
    const Summary& s = metrics.summary;
    TrendPoint point;
    point.start = week.window.since;
    point.deployments = s.deployments;
    point.deployment_attempts = s.deployment_attempts;
    point.lead_time_sample = s.lead_time_s.count;
    if (s.lead_time_s.count > 0) point.lead_time_median_s = s.lead_time_s.median;
    point.change_fail_rate = s.change_fail_rate;
    if (s.recovery_s.count > 0) point.recovery_median_s = s.recovery_s.median;
    point.rework_rate = s.rework_rate;
    const StageSummary& stages = metrics.stages;
    point.pull_request_total_median_s = MedianIfAny(stages.total);
    point.coding_median_s = MedianIfAny(stages.coding);
    point.pickup_median_s = MedianIfAny(stages.pickup);
    point.review_median_s = MedianIfAny(stages.review);
    point.deploy_median_s = MedianIfAny(stages.deploy);
    out.push_back(point);
  }
  return out;
}

}  // namespace leadline::engine
