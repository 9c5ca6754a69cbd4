#include "cli/export_command.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "app/analytics_csv.h"
#include "app/analytics_grafana.h"
#include "app/analytics_lookml.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "store/store.h"

namespace leadline::cli {
namespace {

struct CsvFlags {
  StoreOptions store;
  std::string table;
  std::string project;
  std::string window = "90d";
  std::string until;
};

// The rows' window, [since, until): ending now or at --until, lasting --window (or all time).
common::Result<store::AnalyticsFilter> FilterOf(const CsvFlags& flags) {
  store::AnalyticsFilter filter;
  common::UnixSeconds until = common::NowUnixSeconds();
  if (!flags.until.empty()) {
    auto parsed = common::ParseRfc3339(flags.until);
    if (!parsed.ok()) return parsed.status().WithContext("--until");
    until = *parsed;
    filter.until = until;
  }
  if (flags.window != "all") {
    auto length = common::ParseDurationFlag(flags.window);
    if (!length.ok()) return length.status().WithContext("--window (or 'all')");
    filter.since = until - *length;
    filter.until = until;
  }
  if (!flags.project.empty()) filter.project_key = flags.project;
  return filter;
}

common::Status ExportCsv(const CsvFlags& flags) {
  LEADLINE_ASSIGN_OR_RETURN(const store::AnalyticsTable* table,
                            store::FindAnalyticsTable(flags.table));
  LEADLINE_ASSIGN_OR_RETURN(const store::AnalyticsFilter filter, FilterOf(flags));
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                            store::OpenStore(flags.store.paths.store));
  if (!flags.project.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Project> projects,
                              store->access().LoadProjects());
    if (std::none_of(projects.begin(), projects.end(),
                     [&](const model::Project& p) { return p.name == flags.project; })) {
      return common::Status::NotFound("no project '" + flags.project + "'");
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(const auto last, store->analytics().LastAnalyticsRefresh());
  if (!last) {
    return common::Status::FailedPrecondition(
        "the analytics tables were never refreshed: run `leadline analytics refresh` first");
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::AnalyticsRow> rows,
                            store->analytics().ReadAnalyticsRows(*table, filter));
  const std::string csv = app::AnalyticsCsv(*table, rows);
  std::fwrite(csv.data(), 1, csv.size(), stdout);
  return common::Status::Ok();
}

// Writes each file under `dir` (made if missing), replacing what is there; other files are left.
common::Status WriteFiles(const std::string& dir, const std::map<std::string, std::string>& files) {
  for (const auto& [relative, text] : files) {
    const std::filesystem::path path = std::filesystem::path(dir) / relative;
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      return common::Status::IoError("cannot make " + path.parent_path().string() + ": " +
                                     error.message());
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return common::Status::IoError("cannot write " + path.string());
  }
  return common::Status::Ok();
}

struct ProjectFlags {
  std::string out;
  std::string connection = "leadline";
};

common::Status ExportLookml(const ProjectFlags& flags) {
  LEADLINE_ASSIGN_OR_RETURN(const auto files, app::LookmlProject(flags.connection));
  LEADLINE_RETURN_IF_ERROR(WriteFiles(flags.out, files));
  std::printf("Wrote a LookML project of %zu files to %s (connection \"%s\").\n", files.size(),
              flags.out.c_str(), flags.connection.c_str());
  return common::Status::Ok();
}

struct GrafanaFlags {
  std::string out;
  app::GrafanaOptions options;
};

common::Status ExportGrafana(const GrafanaFlags& flags) {
  LEADLINE_ASSIGN_OR_RETURN(const auto files, app::GrafanaFiles(flags.options));
  LEADLINE_RETURN_IF_ERROR(WriteFiles(flags.out, files));
  std::printf(
      "Wrote Grafana provisioning and %zu dashboards to %s (data source password from "
      "$%s).\n",
      files.size() - 2, flags.out.c_str(), app::kGrafanaPasswordVariable);
  return common::Status::Ok();
}

}  // namespace

std::function<int()> AddExportCommands(CLI::App& app) {
  CLI::App* exporting = app.add_subcommand("export", "Leadline's numbers for other tools");
  exporting->require_subcommand(1);
  auto flags = std::make_shared<CsvFlags>();
  CLI::App* csv = exporting->add_subcommand(
      "csv", "An analytics table's rows (docs/bi.md) as CSV on stdout, as of the last refresh");
  AddStoreOptions(csv, &flags->store);
  csv->add_option("--table", flags->table,
                  "deployments, changes, pull_requests, incidents, failure_reasons, "
                  "metrics_daily, metrics_weekly or metrics_quarterly")
      ->required();
  csv->add_option("--project", flags->project, "Only this project's rows (default: every row)");
  csv->add_option("--window", flags->window,
                  "The rows whose time lies in this long before --until (or all)")
      ->capture_default_str();
  csv->add_option("--until", flags->until, "The window's end, RFC 3339 (default: now)");
  auto lookml_flags = std::make_shared<ProjectFlags>();
  CLI::App* lookml = exporting->add_subcommand(
      "lookml",
      "A LookML project over the analytics tables (docs/bi.md): views, explores each with an "
      "access filter on the user attribute leadline_projects, a datagroup on the refreshes");
  lookml->add_option("--out", lookml_flags->out, "The folder to write it to")->required();
  lookml->add_option("--connection", lookml_flags->connection, "The Looker connection's name")
      ->capture_default_str();
  auto grafana_flags = std::make_shared<GrafanaFlags>();
  app::GrafanaOptions& options = grafana_flags->options;
  CLI::App* grafana = exporting->add_subcommand(
      "grafana",
      "Grafana provisioning (a PostgreSQL data source, a dashboard provider) and dashboards "
      "over the analytics tables (docs/bi.md)");
  grafana->add_option("--out", grafana_flags->out, "The folder to write them to")->required();
  grafana->add_option("--url", options.url, "The PostgreSQL server, host:port")
      ->capture_default_str();
  grafana->add_option("--database", options.database, "The store's database")
      ->capture_default_str();
  grafana
      ->add_option("--user", options.user,
                   "The role Grafana connects as: one `leadline bi grant` made")
      ->capture_default_str();
  grafana->add_option("--sslmode", options.sslmode, "disable, require, verify-ca or verify-full")
      ->capture_default_str();
  grafana
      ->add_option("--dashboards-path", options.dashboards_path,
                   "Where Grafana reads the dashboards' files from")
      ->capture_default_str();
  return [csv, flags, lookml, lookml_flags, grafana, grafana_flags]() {
    common::Status status;
    if (csv->parsed()) {
      status = ExportCsv(*flags);
    } else if (lookml->parsed()) {
      status = ExportLookml(*lookml_flags);
    } else if (grafana->parsed()) {
      status = ExportGrafana(*grafana_flags);
    } else {
      return -1;
    }
    return status.ok() ? 0 : ReportError(status);
  };
}

}  // namespace leadline::cli
