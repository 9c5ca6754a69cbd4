// leadline: software-delivery analytics. Subcommands live in their own files; this file only
// wires them together.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/access_commands.h"
#include "cli/analytics_command.h"
#include "cli/argv_passwords.h"
#include "cli/bi_command.h"
#include "cli/change_events_command.h"
#include "cli/ci_command.h"
#include "cli/connect_command.h"
#include "cli/demo_command.h"
#include "cli/doctor_command.h"
#include "cli/export_command.h"
#include "cli/feedback_command.h"
#include "cli/incident_tool_commands.h"
#include "cli/looker_command.h"
#include "cli/migrate_command.h"
#include "cli/push_commands.h"
#include "cli/report_command.h"
#include "cli/repos_command.h"
#include "cli/serve_command.h"
#include "cli/sessions_command.h"
#include "cli/store_command.h"
#include "cli/sync_command.h"
#include "cli/webhooks_command.h"

int main(int argc, char** argv) {
  CLI::App app{"Leadline: trustworthy DORA metrics from your delivery history", "leadline"};
  app.set_version_flag("--version", std::string("leadline ") + LEADLINE_VERSION);
  app.require_subcommand(1);
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return "leadline: error: " + std::string(e.what()) + " (run with --help for usage)\n";
  });
  std::vector<std::function<int()>> commands = {leadline::cli::AddReportCommand(app)};
  for (auto& command : leadline::cli::AddConnectCommands(app)) commands.push_back(command);
  for (auto& command : leadline::cli::AddReposCommands(app)) commands.push_back(command);
  commands.push_back(leadline::cli::AddSyncCommand(app));
  commands.push_back(leadline::cli::AddDoctorCommand(app));
  commands.push_back(leadline::cli::AddFeedbackCommand(app));
  commands.push_back(leadline::cli::AddMigrateCommand(app));
  commands.push_back(leadline::cli::AddAnalyticsCommands(app));
  commands.push_back(leadline::cli::AddExportCommands(app));
  commands.push_back(leadline::cli::AddBiCommands(app));
  commands.push_back(leadline::cli::AddLookerCommands(app));
  commands.push_back(leadline::cli::AddStoreCommands(app));
  for (auto& command : leadline::cli::AddPushCommands(app)) commands.push_back(command);
  for (auto& command : leadline::cli::AddIncidentToolCommands(app)) commands.push_back(command);
  for (auto& command : leadline::cli::AddChangeEventCommands(app)) commands.push_back(command);
  for (auto& command : leadline::cli::AddAccessCommands(app)) commands.push_back(command);
  for (auto& command : leadline::cli::AddSessionsCommands(app)) commands.push_back(command);
  commands.push_back(leadline::cli::AddServeCommand(app));
  commands.push_back(leadline::cli::AddDemoCommand(app));
  commands.push_back(leadline::cli::AddCiCommands(app));
  for (auto& command : leadline::cli::AddWebhooksCommands(app)) commands.push_back(command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help and --version exit 0; usage errors 2
  }
  leadline::cli::HidePasswordsInArguments(argc, argv);  // parsed: CLI11 holds copies
  // An exception that reaches here is a defect; it is named rather than left to abort the process.
  try {
    for (const auto& command : commands) {
      if (const int code = command(); code >= 0) return code;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "leadline: internal error: %s\n", e.what());
    return 70;  // EX_SOFTWARE
  }
  return 2;
}
