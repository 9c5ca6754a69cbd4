#include "cli/feedback_settings_command.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/feedback_settings.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "common/time.h"

namespace leadline::cli {
namespace {

struct SettingsFlags {
  StoreOptions store;
  std::vector<std::string> repos;
  std::string mode = "insights";
};

int RunEnable(const SettingsFlags& flags) {
  auto store = store::OpenStore(flags.store.paths.store);
  if (!store.ok()) return ReportError(store.status());
  const store::FeedbackMode mode =
      flags.mode == "comment" ? store::FeedbackMode::kComment : store::FeedbackMode::kInsights;
  auto enabled = app::EnableFeedback(**store, flags.repos, mode, common::NowUnixSeconds());
  if (!enabled.ok()) return ReportError(enabled.status());
  for (const model::Repository& repo : *enabled) {
    std::printf("feedback on for %s (%s)\n", repo.location.c_str(), store::FeedbackModeName(mode));
  }
  return 0;
}

int RunDisable(const SettingsFlags& flags) {
  auto store = store::OpenStore(flags.store.paths.store);
  if (!store.ok()) return ReportError(store.status());
  auto disabled = app::DisableFeedback(**store, flags.repos);
  if (!disabled.ok()) return ReportError(disabled.status());
  for (const std::string& location : *disabled) {
    std::printf("feedback off for %s\n", location.c_str());
  }
  return 0;
}

int RunStatus(const SettingsFlags& flags) {
  auto store = store::OpenStore(flags.store.paths.store);
  if (!store.ok()) return ReportError(store.status());
  auto status = app::LoadFeedbackStatus(**store);
  if (!status.ok()) return ReportError(status.status());
  if (status->repositories.empty()) {
    std::printf(
        "feedback is off for every repository (`leadline feedback enable --repos "
        "PATTERN` turns it on)\n");
  } else {
    std::printf("%-32s %-9s %6s  %-20s %7s %6s %7s\n", "repository", "mode", "posts", "last post",
                "pending", "failed", "dropped");
  }
  for (const store::FeedbackRepository& repo : status->repositories) {
    int pending = 0, failed = 0;
    for (const store::FeedbackOutboxRow& row : status->outbox) {
      if (row.repo_id == repo.repo_id) ++(row.failed ? failed : pending);
    }
    const std::string last = repo.last_posted_at == 0 ? std::string("never")
                                                      : common::FormatRfc3339(repo.last_posted_at);
    std::printf("%-32s %-9s %6lld  %-20s %7d %6d %7lld\n", repo.location.c_str(),
                store::FeedbackModeName(repo.mode), static_cast<long long>(repo.posts),
                last.c_str(), pending, failed, static_cast<long long>(repo.dropped));
  }
  for (const store::FeedbackRepository& repo : status->repositories) {
    if (repo.refused_at == 0) continue;
    std::printf(
        "\n%s: turned off %s, the host refused a post: %s\n  once the credentials may post: "
        "`leadline feedback enable --repos %s --mode %s`\n",
        repo.location.c_str(), common::FormatRfc3339(repo.refused_at).c_str(),
        repo.refused_reason.c_str(), repo.location.c_str(), store::FeedbackModeName(repo.mode));
  }
  if (!status->outbox.empty()) std::printf("\noutbox:\n");
  for (const store::FeedbackOutboxRow& row : status->outbox) {
    std::printf("  %s #%lld %s, %s, due %s, %lld failed attempt(s)%s%s\n", row.location.c_str(),
                static_cast<long long>(row.number), row.reason.c_str(),
                row.failed ? "failed" : "pending", common::FormatRfc3339(row.due_at).c_str(),
                static_cast<long long>(row.attempts), row.last_error.empty() ? "" : ": ",
                row.last_error.c_str());
  }
  return 0;
}

}  // namespace

std::function<int()> AddFeedbackSettingsCommands(CLI::App* feedback) {
  auto flags = std::make_shared<SettingsFlags>();
  CLI::App* enable = feedback->add_subcommand(
      "enable", "Post delivery figures on the pull requests of the repositories named");
  enable
      ->add_option("--repos", flags->repos,
                   "Selected repositories by location, shell-style (\"acme/*\"); repeatable")
      ->required();
  enable
      ->add_option("--mode", flags->mode,
                   "insights: a Code Insights report (Bitbucket; GitLab gets a note); comment: "
                   "one comment kept up to date")
      ->check(CLI::IsMember({"insights", "comment"}));
  AddStoreOptions(enable, &flags->store);
  CLI::App* disable = feedback->add_subcommand(
      "disable", "Stop posting on the repositories named, dropping what is queued for them");
  disable->add_option("--repos", flags->repos, "Repositories by location, shell-style; repeatable")
      ->required();
  AddStoreOptions(disable, &flags->store);
  CLI::App* status = feedback->add_subcommand(
      "status",
      "Repositories with feedback on, their posts, and the outbox's pending and "
      "failed posts with their last error");
  AddStoreOptions(status, &flags->store);
  return [=]() {
    if (enable->parsed()) return RunEnable(*flags);
    if (disable->parsed()) return RunDisable(*flags);
    if (status->parsed()) return RunStatus(*flags);
    return -1;
  };
}

}  // namespace leadline::cli
