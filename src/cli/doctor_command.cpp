#include "cli/doctor_command.h"

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "api/metrics_json.h"
#include "app/doctor.h"
#include "app/incident_connections.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "config/settings.h"

namespace leadline::cli {
namespace {

struct DoctorFlags {
  StoreOptions store;
  std::string repo;
  std::string window = "90d";
  std::string format = "text";
  std::string config;
};

std::string RenderText(const std::vector<app::RepositoryFindings>& checked) {
  std::string out;
  std::size_t problems = 0;
  for (const app::RepositoryFindings& repo : checked) {
    if (!repo.status.ok()) {
      out += repo.location + ": not checked: " + repo.status.message() + "\n";
      continue;
    }
    if (repo.findings.empty()) {
      out += repo.location + ": no problems found\n";
      continue;
    }
    out += repo.location + ":\n";
    for (const engine::Finding& finding : repo.findings) {
      problems += finding.warning ? 1 : 0;
      out += std::string("  ") + (finding.warning ? "warning" : "note") + " [" + finding.check +
             "] " + finding.message + "\n      what to change: " + finding.fix + "\n";
    }
  }
  out += std::to_string(problems) + " warning" + (problems == 1 ? "" : "s") + " in " +
         std::to_string(checked.size()) + " repositor" + (checked.size() == 1 ? "y" : "ies") +
         ".\n";
  return out;
}

// Incident services whose stored incidents count nowhere, for people to map.
std::string RenderUnmapped(const std::vector<app::ListedService>& unmapped) {
  if (unmapped.empty()) return "";
  std::string out = "incident services:\n";
  for (const app::ListedService& listed : unmapped) {
    out += "  warning [unmapped_service] " + listed.service.name + " (" + listed.service.id + ", " +
           listed.connection + ") has " + std::to_string(listed.incidents) + " stored incident" +
           (listed.incidents == 1 ? "" : "s") +
           " that count against no repository\n      what to change: `leadline services map " +
           listed.service.id + " --repos PATTERN`, or name it under [services] in leadline.toml\n";
  }
  out += std::to_string(unmapped.size()) + " incident service" +
         (unmapped.size() == 1 ? " has" : "s have") + " incidents that count nowhere.\n";
  return out;
}

// PagerDuty services whose change events failed for good.
std::string RenderChangeEvents(const std::vector<engine::Finding>& failed) {
  if (failed.empty()) return "";
  std::string out = "change events:\n";
  for (const engine::Finding& finding : failed) {
    out += "  warning [" + finding.check + "] " + finding.message +
           "\n      what to change: " + finding.fix + "\n";
  }
  return out;
}

std::string RenderJson(const std::vector<app::RepositoryFindings>& checked) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const app::RepositoryFindings& repo : checked) {
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    for (const engine::Finding& finding : repo.findings)
      findings.push_back(api::FindingJson(finding));
    nlohmann::ordered_json one = {{"repository", repo.location}, {"findings", findings}};
    if (!repo.status.ok()) one["error"] = repo.status.message();
    out.push_back(std::move(one));
  }
  return out.dump(2) + "\n";
}

int RunDoctor(const DoctorFlags& flags) {
  app::DoctorRequest request;
  request.paths = flags.store.paths;
  auto settings = config::LoadSettings(flags.config, flags.store.paths.settings_file);
  if (!settings.ok()) return ReportError(settings.status());
  request.settings = std::move(*settings);
  request.pattern = flags.repo;
  if (flags.window == "all") {
    request.window.reset();
  } else {
    auto window = common::ParseDurationFlag(flags.window);
    if (!window.ok()) return ReportError(window.status().WithContext("--window (or 'all')"));
    request.window = *window;
  }
  auto checked = app::RunDoctor(request);
  if (!checked.ok()) return ReportError(checked.status());
  std::string output = flags.format == "json" ? RenderJson(*checked) : RenderText(*checked);
  if (flags.format != "json") {
    auto unmapped = app::UnmappedServicesWithIncidents(request.paths, request.settings.services());
    if (!unmapped.ok()) return ReportError(unmapped.status());
    output += RenderUnmapped(*unmapped);
    auto failed = app::FailedChangeEvents(request.paths, request.settings.services());
    if (!failed.ok()) return ReportError(failed.status());
    output += RenderChangeEvents(*failed);
  }
  std::fwrite(output.data(), 1, output.size(), stdout);
  return 0;
}

}  // namespace

std::function<int()> AddDoctorCommand(CLI::App& app) {
  auto flags = std::make_shared<DoctorFlags>();
  CLI::App* cmd = app.add_subcommand(
      "doctor",
      "Check the selected, synced repositories for what commonly makes DORA numbers wrong");
  cmd->add_option("--repo", flags->repo, "Only the selected repositories matching this pattern");
  cmd->add_option("--window", flags->window, "The window the checks look at: 7d, 90d, ... or all")
      ->capture_default_str();
  cmd->add_option("--format", flags->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  AddStoreOptions(cmd, &flags->store);
  cmd->add_option("--config", flags->config,
                  "Settings file (default: leadline.toml beside the store, when it exists)");
  return [cmd, flags]() { return cmd->parsed() ? RunDoctor(*flags) : -1; };
}

}  // namespace leadline::cli
