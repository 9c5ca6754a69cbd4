// Metric queries over any scope and any window, answered from facts derived once per repository.
//
// RepositoryFacts holds, in time order, what every metric reads: each deployment's outcome and
// recovery, each credited change's lead time (by the time of the deployment that first shipped
// it), each merged pull request's stages and author, and each incident's start. Collecting them
// walks the repository's analysis once; a query then only binary-searches the window in each
// repository of the scope and summarises what it finds (selection, not sorting; the lead times,
// most of a large window's values, by rank from an index where IndexLeadTimes built one), so that
// a year of a large project answers in milliseconds. BuildReport's summary is such a query over
// one repository: every path computes the numbers the same way.
//
// A scope is a set of repositories (one, or a project's) and, for pull request figures, an
// optional team: the people whose pull requests count. Immutable after collection (and
// IndexLeadTimes); queries are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/object_id.h"
#include "engine/dora_report.h"
#include "engine/pr_stages.h"
#include "engine/snapshot.h"
#include "engine/wavelet_matrix.h"

namespace leadline::engine {

// Interns pull request authors, so that teams are sets of small numbers.
class PeopleIndex {
 public:
  std::uint32_t Intern(const model::PlatformUser& user);
  // The id Intern gave `user`, if it was interned.
  std::optional<std::uint32_t> Lookup(const model::PlatformUser& user) const;
  // Records that `person` wrote commits as `email` (lower case).
  void LinkEmail(std::uint32_t person, const std::string& email);
  // The people whose account id, display name or linked commit e-mail is one of `members`
  // (without case), sorted.
  std::vector<std::uint32_t> Find(const std::vector<std::string>& members) const;
  std::size_t size() const { return people_.size(); }

 private:
  std::vector<model::PlatformUser> people_;
  std::vector<std::vector<std::string>> emails_;  // per person
  std::unordered_map<std::string, std::uint32_t> by_id_;
};

struct DeploymentFact {
  common::UnixSeconds finished_at = 0;
  bool success = false;
  bool failed = false;
  bool rework = false;
  std::optional<common::Seconds> recovery_s;  // failed and restored
  std::uint32_t merges_excluded = 0;          // merge commits it credited (no lead time)
  std::uint32_t first_change = 0;             // its changes: changes[first_change, end_change)
  std::uint32_t end_change = 0;
};

struct ChangeFact {
  common::UnixSeconds deployed_at = 0;
  common::Seconds lead_s = 0;
};

struct PullRequestFact {
  common::UnixSeconds merged_at = 0;
  std::uint32_t author = 0;  // PeopleIndex id
  bool bot = false;
  CommitsUnknown commits_unknown = CommitsUnknown::kNo;
  bool before_first_lookback = false;
  std::optional<common::Seconds> coding, pickup, review, deploy, total;
  std::optional<int> lines_changed;
};

struct IncidentFact {
  common::UnixSeconds started_at = 0;
  bool linked = false;
};

// The changes' lead times kept for queries by rank and sums over any range of changes, so that
// a scope's lead-time quantiles cost a few bit lookups per repository however many changes its
// window holds. Built by IndexLeadTimes.
struct LeadTimeIndex {
  WaveletMatrix lead_s;              // of changes[i], at i
  std::vector<std::int64_t> blocks;  // blocks[b]: the sum of changes [0, 64 b)
  // The sum of the lead times of changes [begin, end).
  std::int64_t Sum(std::span<const ChangeFact> changes, std::size_t begin, std::size_t end) const;
};

// Which commit each change is and who wrote it, for rows that list the changes (the analytics
// tables). No metric reads them: CollectFacts keeps them only when asked.
struct ChangeCommits {
  std::vector<common::ObjectId> ids;  // of changes[i], at i
  // Of changes[i], at i: its author's position in `emails`, or kNoEmail.
  std::vector<std::uint32_t> authors;
  std::vector<std::string> emails;  // the repository's distinct author e-mails (lower case)
  // The author e-mail of changes[i]; nullptr for a commit without one.
  const std::string* Author(std::size_t i) const {
    return authors[i] == kNoEmail ? nullptr : &emails[authors[i]];
  }
};

struct RepositoryFacts {
  std::string location;
  bool proxy = false;
  std::vector<DeploymentFact> deployments;     // by finished_at
  std::vector<ChangeFact> changes;             // by deployed_at
  ChangeCommits change_commits;                // empty unless CollectFacts kept them
  std::vector<PullRequestFact> pull_requests;  // merged ones, by merged_at
  std::vector<IncidentFact> incidents;         // counted ones, by started_at
  // Of `changes`, when IndexLeadTimes built it; queries read the changes themselves otherwise.
  std::optional<LeadTimeIndex> lead_index;
};

// `deployments` and `analysis` as given to BuildReport; `stages` may be empty (no pull requests).
// `keep_change_commits`: fill change_commits (24 bytes a change).
RepositoryFacts CollectFacts(std::string location, bool proxy, const Snapshot& snapshot,
                             std::span<const model::Deployment> deployments,
                             const DeploymentAnalysis& analysis,
                             std::span<const PullRequestStages> stages, PeopleIndex& people,
                             bool keep_change_commits = false);

// Builds facts.lead_index, for facts that answer many queries (the server's view): it costs a
// pass over the changes per bit of the longest lead time, and 1.5 bits a change per bit.
// The queries' results are the same with it and without.
void IndexLeadTimes(RepositoryFacts& facts);

struct ScopeQuery {
  ReportWindow window;
  int benchmark_year = 2023;
  // Pull request figures only for these people (sorted PeopleIndex ids); empty: everyone.
  std::optional<std::vector<std::uint32_t>> team;
};

struct ScopeMetrics {
  Summary summary;
  StageSummary stages;
  std::size_t repositories = 0;
  std::size_t proxy_repositories = 0;  // whose deployments are merges (a proxy)
};

common::Result<ScopeMetrics> QueryScope(std::span<const RepositoryFacts* const> scope,
                                        const ScopeQuery& query);

// One week of a trend: [start, start + 7 days).
struct TrendPoint {
  common::UnixSeconds start = 0;
  std::size_t deployments = 0;
  std::size_t deployment_attempts = 0;
  std::optional<double> lead_time_median_s;
  std::size_t lead_time_sample = 0;
  std::optional<double> change_fail_rate;
  std::optional<double> recovery_median_s;
  std::optional<double> rework_rate;
  std::optional<double> pull_request_total_median_s;
  // The lead-time breakdown of the pull requests merged that week: each stage's median.
  std::optional<double> coding_median_s, pickup_median_s, review_median_s, deploy_median_s;
};

// The most points a trend has: twenty years of weeks. Each costs a query of the scope.
inline constexpr std::int64_t kMaxTrendWeeks = 1044;

// Whole weeks counted back from the window's end (a partial first week is left out), oldest
// first; InvalidArgument naming the limit for a window of more than kMaxTrendWeeks weeks.
common::Result<std::vector<TrendPoint>> WeeklyTrend(std::span<const RepositoryFacts* const> scope,
                                                    const ScopeQuery& query);

}  // namespace leadline::engine
