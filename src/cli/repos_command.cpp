#include "cli/repos_command.h"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "app/repositories.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "cli/webhooks_command.h"
#include "config/settings.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"

namespace leadline::cli {
namespace {

struct ReposFlags {
  StoreOptions store;
  bool offline = false;
  std::vector<std::string> patterns;
};

void PrintRepositories(const std::vector<model::Repository>& repos) {
  std::size_t width = std::string("Repository").size();
  for (const model::Repository& repo : repos) width = std::max(width, repo.location.size());
  std::printf("    %-*s  %-15s  %s\n", static_cast<int>(width), "Repository", "Source",
              "Default branch");
  std::size_t selected = 0;
  std::size_t invisible = 0;
  for (const model::Repository& repo : repos) {
    selected += repo.selected ? 1 : 0;
    invisible += repo.visible ? 0 : 1;
    std::printf("[%c] %-*s  %-15s  %s%s\n", repo.selected ? 'x' : ' ', static_cast<int>(width),
                repo.location.c_str(), repo.source.c_str(),
                repo.default_branch.empty() ? "-" : repo.default_branch.c_str(),
                repo.visible ? "" : "  (no longer visible)");
  }
  std::printf("%zu repositories, %zu selected for sync.%s\n", repos.size(), selected,
              selected == 0 ? " Select some with `leadline repos select PATTERN`." : "");
  if (invisible > 0) {
    std::printf(
        "%zu of them %s no longer visible to the connection's credentials: the account lost "
        "access, or they were deleted or renamed. Their history stays; `leadline repos "
        "deselect` stops syncing them.\n",
        invisible, invisible == 1 ? "is" : "are");
  }
}

int RunList(const ReposFlags& flags) {
  common::Result<std::vector<model::Repository>> repos = std::vector<model::Repository>();
  if (flags.offline) {
    repos = app::StoredRepositories(flags.store.paths);
  } else {
    http::CurlHttpClient curl;
    http::RetryingHttpClient client(curl, {}, 0);
    repos = app::RefreshRepositories(flags.store.paths, client);
  }
  if (!repos.ok()) return ReportError(repos.status());
  PrintRepositories(*repos);
  return 0;
}

int RunSelection(const ReposFlags& flags, bool selected) {
  auto settings = config::LoadSettings("", flags.store.paths.settings_file);
  if (!settings.ok()) return ReportError(settings.status());
  auto changed = app::SetSelection(flags.store.paths, flags.patterns, selected);
  if (!changed.ok()) return ReportError(changed.status());
  if (changed->empty()) {
    std::printf("Nothing changed: those repositories were already %s.\n",
                selected ? "selected" : "not selected");
    return 0;
  }
  std::printf("%s %zu repositor%s:", selected ? "Selected" : "Deselected", changed->size(),
              changed->size() == 1 ? "y" : "ies");
  for (const model::Repository& repo : *changed) std::printf(" %s", repo.location.c_str());
  std::printf("\n");
  return UpdateWebhooks(flags.store.paths, *changed, selected, settings->webhook_public_url());
}

}  // namespace

std::vector<std::function<int()>> AddReposCommands(CLI::App& app) {
  auto flags = std::make_shared<ReposFlags>();
  CLI::App* repos =
      app.add_subcommand("repos", "Which repositories (Bitbucket, GitLab) are synced");
  repos->require_subcommand(1);

  CLI::App* list = repos->add_subcommand(
      "list", "List the repositories the connections can see (fetched from each upstream)");
  list->add_flag("--offline", flags->offline, "Show the stored list without asking upstream");
  AddStoreOptions(list, &flags->store);

  CLI::App* select = repos->add_subcommand(
      "select", "Select repositories for sync (and register the webhook on each)");
  CLI::App* deselect =
      repos->add_subcommand("deselect", "Stop syncing repositories (and remove the webhook)");
  // The same two, by the names of the server's documentation.
  CLI::App* activate = app.add_subcommand("activate", "The same as `repos select`");
  CLI::App* deactivate = app.add_subcommand("deactivate", "The same as `repos deselect`");
  for (CLI::App* command : {select, deselect, activate, deactivate}) {
    command
        ->add_option("patterns", flags->patterns,
                     "Shell patterns on workspace/slug or PROJECT/slug, e.g. 'acme/*'")
        ->required();
    AddStoreOptions(command, &flags->store);
  }
  return {
      [list, flags]() { return list->parsed() ? RunList(*flags) : -1; },
      [select, flags]() { return select->parsed() ? RunSelection(*flags, true) : -1; },
      [deselect, flags]() { return deselect->parsed() ? RunSelection(*flags, false) : -1; },
      [activate, flags]() { return activate->parsed() ? RunSelection(*flags, true) : -1; },
      [deactivate, flags]() { return deactivate->parsed() ? RunSelection(*flags, false) : -1; },
  };
}

}  // namespace leadline::cli
