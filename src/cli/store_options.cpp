#include "cli/store_options.h"

namespace leadline::cli {

void AddStoreOptions(CLI::App* command, StoreOptions* options) {
  command->add_option("--store", options->store,
                      "Where the store is: a SQLite file (sqlite:PATH, or the path) or "
                      "postgres://USER@HOST:PORT/DATABASE; default LEADLINE_STORE, else "
                      "leadline.db");
  command->add_option("--db", options->db, "A SQLite store file (the same as --store sqlite:FILE)");
  command->add_option("--data-dir", options->data_dir,
                      "Where the key file, the git mirrors and leadline.toml are kept; default "
                      "LEADLINE_DATA_DIR, else beside a SQLite store, else the current folder");
  command->final_callback([options]() {
    auto paths = config::ResolvePaths(options->store, options->db, options->data_dir);
    if (!paths.ok()) throw CLI::ValidationError(paths.status().message());
    options->paths = *paths;
  });
}

}  // namespace leadline::cli
