// Where Leadline keeps its things, resolved once from the command line and the environment: the
// store (named by URL, see store/store_url.h) and the data directory, which holds the key that
// seals connection secrets, the git mirrors and leadline.toml. Nothing else derives a path from
// the store's URL. Plain values; thread-safe.
//
// A SQLite store without a data directory keeps today's names beside the file, so existing
// installs change nothing: "leadline.db.key", "leadline.db.mirrors/", and "leadline.toml" in the
// file's folder. With a data directory (--data-dir, LEADLINE_DATA_DIR; for a PostgreSQL store the
// current directory when none is given): "DIR/leadline.key", "DIR/mirrors/", "DIR/leadline.toml".
// The servers' claim slots are "leadline.db.servers/" beside the file, or "DIR/servers/".
#pragma once

#include <string>

#include "common/status.h"

namespace leadline::config {

struct Paths {
  std::string store = "leadline.db";  // the store URL (may hold a password: print store_url.h's
                                      // display form, never this)
  std::string data_dir;               // "" for a SQLite store's own folder
  std::string key_file = "leadline.db.key";
  std::string mirrors_dir = "leadline.db.mirrors";
  std::string snapshots_dir = "leadline.db.snapshots";  // built snapshots (app/snapshot_cache.h)
  // The servers' claim slots (app/server_slot.h)
  std::string servers_dir = "leadline.db.servers";
  std::string settings_file = "leadline.toml";
};

// The paths for the SQLite file `db_path` with no data directory: the names beside it.
Paths PathsBeside(const std::string& db_path);

// From the flags: `store` (--store URL) or `db` (--db FILE, the older flag: a SQLite file), at
// most one of them, else LEADLINE_STORE, else "leadline.db"; `data_dir` (--data-dir), else
// LEADLINE_DATA_DIR. Errors name the flag.
common::Result<Paths> ResolvePaths(const std::string& store, const std::string& db,
                                   const std::string& data_dir);

}  // namespace leadline::config
