#include "cli/migrate_command.h"

#include <cstdio>
#include <memory>

#include "cli/errors.h"
#include "cli/store_options.h"
#include "store/store.h"
#include "store/store_url.h"

namespace leadline::cli {
namespace {

int RunMigrate(const config::Paths& paths) {
  auto applied = store::MigrateStore(paths.store);
  if (!applied.ok()) return ReportError(applied.status());
  const std::string where = store::RedactPassword(paths.store);
  if (applied->empty()) {
    std::printf("The store %s is up to date.\n", where.c_str());
    return 0;
  }
  for (const store::AppliedMigration& migration : *applied) {
    std::printf("Applied migration %d: %s\n", migration.version, migration.description.c_str());
  }
  std::printf("The store %s is at schema version %d.\n", where.c_str(), applied->back().version);
  return 0;
}

}  // namespace

std::function<int()> AddMigrateCommand(CLI::App& app) {
  auto options = std::make_shared<StoreOptions>();
  CLI::App* migrate = app.add_subcommand(
      "migrate",
      "Bring the store's schema to this Leadline's version (idempotent). `serve` does it at its "
      "start; on PostgreSQL the other commands ask for it instead of migrating");
  AddStoreOptions(migrate, options.get());
  return [migrate, options]() { return migrate->parsed() ? RunMigrate(options->paths) : -1; };
}

}  // namespace leadline::cli
