#include "cli/push_commands.h"

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/incidents.h"
#include "app/pushed_deployments.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "common/time.h"

namespace leadline::cli {
namespace {

struct PushFlags {
  StoreOptions store;
  std::string file;
  std::string format = "text";
};

// Runs an import and says how many were read and stored.
template <typename Import>
int RunImport(const PushFlags& flags, const char* what, Import import) {
  auto imported = import(flags.store.paths, flags.file);
  if (!imported.ok()) return ReportError(imported.status());
  std::printf("Imported %zu %s from %s (%zu new or changed).\n", imported->read, what,
              flags.file.c_str(), imported->changed);
  return 0;
}

std::string Optional(const std::string& text) { return text.empty() ? "-" : text; }

int RunList(const PushFlags& flags) {
  auto incidents = app::StoredIncidents(flags.store.paths);
  if (!incidents.ok()) return ReportError(incidents.status());
  if (flags.format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const model::Incident& i : *incidents) {
      out.push_back(
          {{"id", i.id},
           {"source", i.source},
           {"service", i.service},
           {"severity", i.severity},
           {"title", i.title},
           {"started_at", common::FormatRfc3339(i.started_at)},
           {"resolved_at", i.resolved_at
                               ? nlohmann::ordered_json(common::FormatRfc3339(*i.resolved_at))
                               : nlohmann::ordered_json(nullptr)},
           {"repository", i.repository},
           {"deployment", i.deployment},
           {"commit", i.commit},
           {"acknowledged_at",
            i.acknowledged_at ? nlohmann::ordered_json(common::FormatRfc3339(*i.acknowledged_at))
                              : nlohmann::ordered_json(nullptr)},
           {"link", i.link}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  if (incidents->empty()) {
    std::printf("No incidents stored; add some with `leadline incidents import FILE`.\n");
    return 0;
  }
  for (const model::Incident& i : *incidents) {
    std::printf("%-12s %-6s %-12s %s .. %s  %s\n", i.id.c_str(), i.severity.c_str(),
                Optional(i.service.empty() ? i.repository : i.service).c_str(),
                common::FormatRfc3339(i.started_at).c_str(),
                i.resolved_at ? common::FormatRfc3339(*i.resolved_at).c_str() : "open",
                i.title.c_str());
  }
  return 0;
}

}  // namespace

std::vector<std::function<int()>> AddPushCommands(CLI::App& app) {
  auto flags = std::make_shared<PushFlags>();
  CLI::App* incidents =
      app.add_subcommand("incidents", "Incidents that count in change fail rate and recovery");
  incidents->require_subcommand(1);

  CLI::App* import = incidents->add_subcommand(
      "import", "Store the incidents of a JSON file (see docs/metrics.md); all or none");
  import->add_option("file", flags->file, "JSON: one incident, an array, or {\"incidents\": [...]}")
      ->required();
  AddStoreOptions(import, &flags->store);

  CLI::App* list = incidents->add_subcommand("list", "List the stored incidents, oldest first");
  list->add_option("--format", flags->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  AddStoreOptions(list, &flags->store);

  CLI::App* deployments =
      app.add_subcommand("deployments", "Deployments CI reports, beside the code host's own");
  deployments->require_subcommand(1);
  CLI::App* import_deployments = deployments->add_subcommand(
      "import", "Store the deployments of a JSON file (see docs/metrics.md); all or none");
  import_deployments
      ->add_option("file", flags->file,
                   "JSON: one deployment, an array, or {\"deployments\": [...]}")
      ->required();
  AddStoreOptions(import_deployments, &flags->store);
  return {
      [import, flags]() {
        return import->parsed() ? RunImport(*flags, "incidents", app::ImportIncidents) : -1;
      },
      [list, flags]() { return list->parsed() ? RunList(*flags) : -1; },
      [import_deployments, flags]() {
        return import_deployments->parsed()
                   ? RunImport(*flags, "deployments", app::ImportDeployments)
                   : -1;
      },
  };
}

}  // namespace leadline::cli
