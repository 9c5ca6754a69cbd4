#include "app/feedback_settings.h"

#include <fnmatch.h>

#include <algorithm>
#include <set>

#include "app/repositories.h"

namespace leadline::app {
namespace {

bool Matches(const std::string& pattern, const std::string& location) {
  return fnmatch(pattern.c_str(), location.c_str(), 0) == 0;
}

common::Status CheckPatterns(const std::vector<std::string>& patterns) {
  if (patterns.empty()) return common::Status::InvalidArgument("name repositories with --repos");
  for (const std::string& pattern : patterns) {
    if (pattern.empty() || pattern.size() > 512) {
      return common::Status::InvalidArgument("a repository pattern is 1 to 512 bytes");
    }
  }
  return common::Status::Ok();
}

}  // namespace

common::Result<std::vector<model::Repository>> EnableFeedback(
    store::Store& store, const std::vector<std::string>& patterns, store::FeedbackMode mode,
    common::UnixSeconds now) {
  LEADLINE_RETURN_IF_ERROR(CheckPatterns(patterns));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> selected,
                            SelectedRepositories(store, ""));
  std::vector<model::Repository> covered;
  std::set<std::int64_t> seen;
  for (const std::string& pattern : patterns) {
    bool any = false;
    for (const model::Repository& repo : selected) {
      // Only a connection's repositories have pull requests to post on.
      if (repo.connection_id == 0 || !Matches(pattern, repo.location)) continue;
      any = true;
      if (seen.insert(repo.id).second) covered.push_back(repo);
    }
    if (!any) {
      return common::Status::NotFound("no selected repository of a connection matches '" + pattern +
                                      "' (`leadline repos list` shows them)");
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
  for (const model::Repository& repo : covered) {
    LEADLINE_RETURN_IF_ERROR(store.feedback().EnableFeedback(repo.id, mode, now));
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return covered;
}

common::Result<std::vector<std::string>> DisableFeedback(store::Store& store,
                                                         const std::vector<std::string>& patterns) {
  LEADLINE_RETURN_IF_ERROR(CheckPatterns(patterns));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::FeedbackRepository> enabled,
                            store.feedback().LoadFeedbackRepositories());
  std::vector<const store::FeedbackRepository*> covered;
  std::set<std::int64_t> seen;
  for (const std::string& pattern : patterns) {
    bool any = false;
    for (const store::FeedbackRepository& repo : enabled) {
      if (!Matches(pattern, repo.location)) continue;
      any = true;
      if (seen.insert(repo.repo_id).second) covered.push_back(&repo);
    }
    if (!any) {
      return common::Status::NotFound("no repository with feedback on matches '" + pattern +
                                      "' (`leadline feedback status` shows them)");
    }
  }
  std::vector<std::string> locations;
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
  for (const store::FeedbackRepository* repo : covered) {
    LEADLINE_RETURN_IF_ERROR(store.feedback().DisableFeedback(repo->repo_id));
    locations.push_back(repo->location);
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return locations;
}

common::Result<std::vector<std::string>> ApplyFeedbackOverrides(store::Store& store,
                                                                const config::Settings& settings,
                                                                common::UnixSeconds now) {
  std::vector<std::string> changed;
  if (settings.feedback().empty()) return changed;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> selected,
                            SelectedRepositories(store, ""));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::FeedbackRepository> enabled,
                            store.feedback().LoadFeedbackRepositories());
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
  for (const model::Repository& repo : selected) {
    const std::string* wanted = settings.FeedbackOverride(repo.location);
    if (wanted == nullptr || repo.connection_id == 0) continue;
    const auto now_on = std::find_if(enabled.begin(), enabled.end(),
                                     [&](const auto& r) { return r.repo_id == repo.id; });
    const bool on = now_on != enabled.end();
    if (*wanted == "off") {
      if (!on) continue;
      LEADLINE_RETURN_IF_ERROR(store.feedback().DisableFeedback(repo.id));
      changed.push_back("feedback off for " + repo.location + " (leadline.toml)");
      continue;
    }
    const store::FeedbackMode mode =
        *wanted == "comment" ? store::FeedbackMode::kComment : store::FeedbackMode::kInsights;
    // Enabling clears a refusal: only a person does that, once the credentials may post.
    if (on && (now_on->mode == mode || now_on->refused_at != 0)) continue;
    LEADLINE_RETURN_IF_ERROR(store.feedback().EnableFeedback(repo.id, mode, now));
    changed.push_back("feedback on for " + repo.location + " (" + *wanted + ", leadline.toml)");
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return changed;
}

common::Result<FeedbackStatus> LoadFeedbackStatus(store::Store& store) {
  FeedbackStatus status;
  LEADLINE_ASSIGN_OR_RETURN(status.repositories, store.feedback().LoadFeedbackRepositories());
  LEADLINE_ASSIGN_OR_RETURN(status.outbox,
                            store.feedback().LoadFeedbackOutbox(kMostStatusOutboxRows));
  return status;
}

}  // namespace leadline::app
