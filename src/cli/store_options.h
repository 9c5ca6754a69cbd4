// The options every command that reads or writes the store takes: --store URL (or
// LEADLINE_STORE), --db FILE (the older spelling of a SQLite store) and --data-dir DIR (or
// LEADLINE_DATA_DIR), resolved into config::Paths once the command line is parsed. Not
// thread-safe; used while parsing.
#pragma once

#include <CLI/CLI.hpp>

#include "config/paths.h"

namespace leadline::cli {

struct StoreOptions {
  std::string store;
  std::string db;
  std::string data_dir;
  config::Paths paths;  // resolved after parsing
};

// Adds the three options to `command`; once it is parsed, resolves `options->paths` or fails the
// parse with the reason (exit 2).
void AddStoreOptions(CLI::App* command, StoreOptions* options);

}  // namespace leadline::cli
