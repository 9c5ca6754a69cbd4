#include "cli/report_command.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <set>
#include <tuple>

#include "app/git_report.h"
#include "app/scope_report.h"
#include "app/stored_report.h"
#include "cli/errors.h"
#include "cli/report_output.h"
#include "cli/scope_output.h"
#include "cli/store_options.h"
#include "config/settings.h"
#include "engine/benchmark_levels.h"
#include "ingest/deployment_sources.h"

namespace leadline::cli {
namespace {

struct ReportFlags {
  std::string git_path;
  std::string repo;
  StoreOptions store;
  std::string deploy_tags = ingest::kDefaultDeployTagPattern;
  std::string deploy_log;
  std::string window = "90d";
  std::string since;
  std::string until;
  std::string format = "table";
  int benchmark = engine::DefaultBenchmarkYear();
  std::string lookback = "90d";
  std::string hotfix_window = "24h";
  std::string rerun_grace;
  std::vector<std::string> hotfix_prefixes = {"hotfix/", "hot-fix/", "fix/"};
  std::string config;  // leadline.toml; default: beside the store
  std::string team;    // [teams.NAME] of leadline.toml
  // The flags given on the command line: they win over leadline.toml.
  std::set<std::string> given;
};

// What both kinds of report take: the window, the levels and the failure rules; leadline.toml's
// settings first, then the flags given.
common::Result<app::ReportOptions> BuildOptions(const ReportFlags& flags,
                                                const config::RepositorySettings& settings) {
  app::ReportOptions request;
  app::ApplySettings(settings, request);
  if (flags.window == "all") {
    request.window.reset();
  } else {
    auto window = common::ParseDurationFlag(flags.window);
    if (!window.ok()) return window.status().WithContext("--window (or 'all')");
    request.window = *window;
  }
  for (auto [flag, text, out] : {std::tuple{"--since", &flags.since, &request.since},
                                 std::tuple{"--until", &flags.until, &request.until}}) {
    if (text->empty()) continue;
    auto time = common::ParseRfc3339(*text);
    if (!time.ok()) return time.status().WithContext(flag);
    *out = *time;
  }
  if (request.since && request.until && *request.since >= *request.until) {
    return common::Status::InvalidArgument("--since must be before --until");
  }
  request.benchmark_year = flags.benchmark;
  if (!flags.rerun_grace.empty()) {
    auto grace = common::ParseDurationFlag(flags.rerun_grace);
    if (!grace.ok()) return grace.status().WithContext("--rerun-grace");
    request.analysis.failure_rules.rerun_grace = *grace;
  }
  for (auto [flag, text, out] :
       {std::tuple{"--lookback", &flags.lookback, &request.analysis.first_lookback},
        std::tuple{"--hotfix-window", &flags.hotfix_window,
                   &request.analysis.failure_rules.hotfix_window}}) {
    if (!flags.given.contains(flag)) continue;
    auto duration = common::ParseDurationFlag(*text);
    if (!duration.ok()) return duration.status().WithContext(flag);
    *out = *duration;
  }
  if (flags.given.contains("--hotfix-prefixes")) request.hotfix_prefixes = flags.hotfix_prefixes;
  return request;
}

common::Result<app::RepositoryReport> RunReport(const ReportFlags& flags) {
  LEADLINE_ASSIGN_OR_RETURN(const config::Settings settings,
                            config::LoadSettings(flags.config, flags.store.paths.settings_file));
  const config::RepositorySettings& repository =
      settings.For(flags.repo.empty() ? flags.git_path : flags.repo);
  LEADLINE_ASSIGN_OR_RETURN(const app::ReportOptions options, BuildOptions(flags, repository));
  if (!flags.repo.empty()) {
    app::StoredReportRequest request;
    static_cast<app::ReportOptions&>(request) = options;
    request.paths = flags.store.paths;
    request.location = flags.repo;
    return app::RunStoredReport(request);
  }
  app::GitReportRequest request;
  static_cast<app::ReportOptions&>(request) = options;
  request.git_path = flags.git_path;
  request.paths = flags.store.paths;
  if (!flags.deploy_log.empty()) request.deployments.deploy_log_path = flags.deploy_log;
  request.deployments.tag_pattern = flags.given.contains("--deploy-tags")
                                        ? flags.deploy_tags
                                        : repository.deploy_tags.value_or(flags.deploy_tags);
  LEADLINE_ASSIGN_OR_RETURN(app::GitReport report, app::RunGitReport(request));
  return static_cast<app::RepositoryReport>(std::move(report));
}

// A pattern ("acme/*") or a team makes the report a scope's: several repositories pooled.
bool IsScope(const ReportFlags& flags) {
  return !flags.team.empty() || flags.repo.find_first_of("*?[") != std::string::npos;
}

common::Result<std::string> RunScope(const ReportFlags& flags) {
  if (flags.format == "csv") {
    return common::Status::InvalidArgument(
        "--format csv lists one repository's deployments; a scope prints json or table");
  }
  LEADLINE_ASSIGN_OR_RETURN(const config::Settings settings,
                            config::LoadSettings(flags.config, flags.store.paths.settings_file));
  app::ScopeReportRequest request;
  request.paths = flags.store.paths;
  request.pattern = flags.repo;
  request.options_for = [&](const std::string& location) {
    return BuildOptions(flags, settings.For(location));
  };
  if (!flags.team.empty()) {
    request.team = flags.team;
    LEADLINE_ASSIGN_OR_RETURN(request.members, settings.TeamMembers(flags.team));
  }
  LEADLINE_ASSIGN_OR_RETURN(const app::ScopeReport report, app::RunScopeReport(request));
  return flags.format == "json" ? RenderScopeJson(report) : RenderScopeTable(report);
}

}  // namespace

std::function<int()> AddReportCommand(CLI::App& app) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "DORA metrics of a local git repository (deployments from release tags or a log), or of "
      "a synced Bitbucket repository or GitLab project (its production deployments)");
  CLI::Option* git =
      cmd->add_option("--git", flags->git_path, "Path of the git repository (work tree or bare)");
  CLI::Option* repo = cmd->add_option(
      "--repo", flags->repo,
      "A synced repository: workspace/slug, PROJECT/slug or group/project; a pattern ('acme/*') "
      "pools the selected repositories it matches");
  CLI::Option* team = cmd->add_option("--team", flags->team,
                                      "Pull request figures only for this team of leadline.toml");
  git->excludes(team);
  git->excludes(repo);
  repo->excludes(git);
  CLI::Option* tags =
      cmd->add_option("--deploy-tags", flags->deploy_tags,
                      "Regular expression (RE2) for release tags that are deployments")
          ->capture_default_str()
          ->excludes(repo);
  cmd->add_option("--deploy-log", flags->deploy_log,
                  "File of deployments, one per line: <sha> <RFC 3339 time> [success|failure]")
      ->excludes(tags)
      ->excludes(repo);
  cmd->add_option("--window", flags->window, "Window ending at --until: 7d, 30d, 90d, 12w, or all")
      ->capture_default_str();
  cmd->add_option("--since", flags->since, "Window start, RFC 3339 (overrides --window)");
  cmd->add_option("--until", flags->until, "Window end (exclusive), RFC 3339; default now");
  cmd->add_option("--format", flags->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  AddStoreOptions(cmd, &flags->store);
  cmd->add_option("--benchmark", flags->benchmark, "Benchmark table year: 2023 or 2024")
      ->capture_default_str();
  cmd->add_option("--lookback", flags->lookback,
                  "How far back the first deployment credits commits")
      ->capture_default_str();
  cmd->add_option("--hotfix-window", flags->hotfix_window,
                  "A hotfix merged this soon after a deployment marks it failed")
      ->capture_default_str();
  cmd->add_option("--rerun-grace", flags->rerun_grace,
                  "A failed deployment re-run green within this time (e.g. 30m) is not a failure");
  cmd->add_option("--hotfix-prefixes", flags->hotfix_prefixes,
                  "Branch name prefixes of hotfix branches")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--config", flags->config,
                  "Settings file (default: leadline.toml beside the store, when it exists)");

  return [cmd, flags]() -> int {
    if (!cmd->parsed()) return -1;
    for (const char* name :
         {"--lookback", "--hotfix-window", "--hotfix-prefixes", "--deploy-tags"}) {
      if (cmd->count(name) > 0) flags->given.insert(name);
    }
    if (!flags->team.empty() && flags->repo.empty()) {
      return ReportError(common::Status::InvalidArgument(
          "--team needs --repo: the synced repositories whose pull requests count"));
    }
    if (flags->git_path.empty() && flags->repo.empty()) {
      return ReportError(common::Status::InvalidArgument(
          "say which repository: --git PATH (a local clone) or --repo NAME (a synced one)"));
    }
    if (IsScope(*flags)) {
      auto output = RunScope(*flags);
      if (!output.ok()) return ReportError(output.status());
      std::fwrite(output->data(), 1, output->size(), stdout);
      return 0;
    }
    auto report = RunReport(*flags);
    if (!report.ok()) return ReportError(report.status());
    const std::string output = flags->format == "json"  ? RenderJson(*report)
                               : flags->format == "csv" ? RenderCsv(*report)
                                                        : RenderTable(*report);
    std::fwrite(output.data(), 1, output.size(), stdout);
    return 0;
  };
}

}  // namespace leadline::cli
