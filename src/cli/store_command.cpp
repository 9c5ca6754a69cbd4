#include "cli/store_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include "cli/errors.h"
#include "store/store_copy.h"
#include "store/store_url.h"

namespace leadline::cli {
namespace {

struct CopyFlags {
  std::string from;
  std::string to;
};

int RunCopy(const CopyFlags& flags) {
  std::printf("%-22s %10s %10s %10s  %s\n", "table", "rows", "copied", "in copy", "checksum");
  int differing = 0;
  auto copies = store::CopyStore(flags.from, flags.to, [&](const store::TableCopy& copy) {
    std::printf("%-22s %10lld %10lld %10lld  %016llx %s\n", copy.table.c_str(),
                static_cast<long long>(copy.source_rows), static_cast<long long>(copy.copied_rows),
                static_cast<long long>(copy.destination_rows),
                static_cast<unsigned long long>(copy.destination_checksum),
                copy.verified() ? "equal" : "DIFFERS");
    std::fflush(stdout);
    if (!copy.verified()) ++differing;
  });
  if (!copies.ok()) {
    std::fprintf(stderr, "leadline: the copy stopped; run the same command again to continue\n");
    return ReportError(copies.status());
  }
  if (differing > 0) {
    std::fprintf(stderr,
                 "leadline: error: %d tables differ from the source: the destination held rows of "
                 "its own; copy into an empty store\n",
                 differing);
    return 1;
  }
  std::printf(
      "Copied %s to %s; every table verified.\nSecrets stay sealed: keep the same key (the "
      "source's key file as DATA_DIR/leadline.key, or LEADLINE_SECRET_KEY).\n",
      store::RedactPassword(flags.from).c_str(), store::RedactPassword(flags.to).c_str());
  return 0;
}

}  // namespace

std::function<int()> AddStoreCommands(CLI::App& app) {
  auto flags = std::make_shared<CopyFlags>();
  CLI::App* store = app.add_subcommand("store", "Work on a store as a whole");
  store->require_subcommand(1);
  CLI::App* copy = store->add_subcommand(
      "copy",
      "Copy every table of a store into another (e.g. the SQLite file into PostgreSQL), then "
      "verify row counts and checksums; run again to continue a copy that stopped");
  copy->add_option("--from", flags->from,
                   "The store to copy: sqlite:PATH, a path, or postgres://...")
      ->required();
  copy->add_option("--to", flags->to, "The store to fill (migrated first; should be empty)")
      ->required();
  return [copy, flags]() { return copy->parsed() ? RunCopy(*flags) : -1; };
}

}  // namespace leadline::cli
