#include "query/scope.h"

#include <algorithm>

#include "query/teams.h"

namespace leadline::query {

using common::Result;
using common::Status;

Result<ResolvedScope> ResolveScope(const MetricsView& view, const auth::Principal& principal,
                                   const ScopeArguments& arguments) {
  ResolvedScope scope;
  scope.project = arguments.project;
  scope.repo = arguments.repo;
  scope.team_name = arguments.team;
  const model::Project* project = nullptr;
  if (scope.project) {
    const auto found =
        std::find_if(view.projects.begin(), view.projects.end(),
                     [&](const model::Project& p) { return p.name == *scope.project; });
    if (found == view.projects.end() || !principal.MaySeeProject(*scope.project)) {
      return Status::NotFound("no project '" + *scope.project + "'");
    }
    project = &*found;
  }
  for (const RepositoryView& repo : view.repositories) {
    if (!principal.MaySee(repo.repository.id)) continue;
    if (scope.repo && repo.repository.location != *scope.repo) continue;
    if (project && std::find(project->repository_ids.begin(), project->repository_ids.end(),
                             repo.repository.id) == project->repository_ids.end()) {
      continue;
    }
    scope.repositories.push_back(&repo);
  }
  if (scope.repo && scope.repositories.empty()) {
    return Status::NotFound("no repository '" + *scope.repo + "'");
  }
  if (scope.team_name) {
    const auto team = view.teams.find(*scope.team_name);
    if (team == view.teams.end()) return Status::NotFound("no team '" + *scope.team_name + "'");
    // A caller limited to some projects knows only the teams with an author it may see there
    // (query/teams.h); one who sees everything knows every configured team.
    if (principal.repositories) {
      const std::vector<const std::string*> visible = VisibleTeams(view, principal);
      if (std::none_of(visible.begin(), visible.end(),
                       [&](const std::string* name) { return *name == *scope.team_name; })) {
        return Status::NotFound("no team '" + *scope.team_name + "'");
      }
    }
    scope.team = view.people.Find(team->second);
  }
  return scope;
}

std::vector<const model::Project*> VisibleProjects(const MetricsView& view,
                                                   const auth::Principal& principal) {
  std::vector<const model::Project*> visible;
  for (const model::Project& project : view.projects) {
    if (principal.MaySeeProject(project.name)) visible.push_back(&project);
  }
  return visible;
}

std::vector<const model::Project*> ProjectsOf(const MetricsView& view,
                                              const auth::Principal& principal,
                                              std::int64_t repository_id) {
  std::vector<const model::Project*> holding;
  for (const model::Project* project : VisibleProjects(view, principal)) {
    if (std::find(project->repository_ids.begin(), project->repository_ids.end(), repository_id) !=
        project->repository_ids.end()) {
      holding.push_back(project);
    }
  }
  return holding;
}

Result<engine::ReportWindow> ResolveWindow(const WindowArguments& arguments,
                                           const ResolvedScope& scope, common::UnixSeconds now) {
  const std::string earliest = common::FormatRfc3339(kEarliestSince);
  engine::ReportWindow window;
  window.until = now;
  if (const auto until = arguments.until) {
    auto parsed = common::ParseRfc3339(*until);
    if (!parsed.ok()) return Status::InvalidArgument("until: " + parsed.status().message());
    if (*parsed <= kEarliestSince) return Status::InvalidArgument("until: after " + earliest);
    if (*parsed > now + kLatestUntilAfterNow) {
      return Status::InvalidArgument("until: at most a day after now (" +
                                     common::FormatRfc3339(now + kLatestUntilAfterNow) + ")");
    }
    window.until = *parsed;
  }
  const bool all = !arguments.since && arguments.window == "all";
  if (const auto since = arguments.since) {
    auto parsed = common::ParseRfc3339(*since);
    if (!parsed.ok()) return Status::InvalidArgument("since: " + parsed.status().message());
    if (*parsed < kEarliestSince) {
      return Status::InvalidArgument("since: " + earliest + " or later");
    }
    window.since = *parsed;
  } else if (all) {
    // From the scope's first deployment; deployments stamped before the epoch start it there.
    window.since = window.until;
    for (const RepositoryView* repo : scope.repositories) {
      if (!repo->facts.deployments.empty()) {
        window.since = std::min(window.since, repo->facts.deployments.front().finished_at);
      }
    }
    window.since = std::max(window.since, kEarliestSince);
  } else {
    const std::string text = arguments.window.value_or("90d");
    auto length = common::ParseDurationFlag(text, kLongestWindow);
    if (!length.ok()) {
      return Status::InvalidArgument("window: " + length.status().message() + " (or 'all')");
    }
    window.since = window.until - *length;
    if (window.since < kEarliestSince) {
      return Status::InvalidArgument("window: " + text + " before " +
                                     common::FormatRfc3339(window.until) + " begins before " +
                                     earliest + "; shorten it or move until later");
    }
  }
  // `window=all` over a scope without deployments is empty, and says so with zero counts.
  if (window.since > window.until || (window.since == window.until && !all)) {
    return Status::InvalidArgument("the window is empty: since must be before until");
  }
  if (!all && window.until - window.since > kLongestWindow) {
    return Status::InvalidArgument(
        "since and until: at most " + common::FormatHumanDuration(kLongestWindow) +
        " (20 years) apart; narrow them, or use window=all for all the data");
  }
  return window;
}

}  // namespace leadline::query
