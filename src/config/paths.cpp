#include "config/paths.h"

#include <cstdlib>
#include <filesystem>

namespace leadline::config {

using common::Result;
using common::Status;

namespace {

std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

bool IsPostgres(const std::string& url) {
  return url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0;
}

}  // namespace

Paths PathsBeside(const std::string& db_path) {
  Paths paths;
  paths.store = db_path;
  std::string file = db_path;
  if (file.rfind("sqlite:", 0) == 0) {
    // sqlite:PATH?OPTION (store/store_url.h): the files beside it are named after PATH.
    file = file.substr(7);
    file = file.substr(0, file.find('?'));
  }
  paths.key_file = file + ".key";
  paths.mirrors_dir = file + ".mirrors";
  paths.snapshots_dir = file + ".snapshots";
  paths.servers_dir = file + ".servers";
  paths.settings_file = (std::filesystem::path(file).parent_path() / "leadline.toml").string();
  return paths;
}

Result<Paths> ResolvePaths(const std::string& store, const std::string& db,
                           const std::string& data_dir) {
  if (!store.empty() && !db.empty()) {
    return Status::InvalidArgument(
        "give --store or --db, not both (--db FILE is --store sqlite:FILE)");
  }
  std::string url = !store.empty() ? store : db;
  if (url.empty()) url = Environment("LEADLINE_STORE");
  if (url.empty()) url = "leadline.db";
  std::string dir = !data_dir.empty() ? data_dir : Environment("LEADLINE_DATA_DIR");
  if (dir.empty() && IsPostgres(url)) dir = ".";
  if (dir.empty()) return PathsBeside(url);
  if (std::filesystem::exists(dir) && !std::filesystem::is_directory(dir)) {
    return Status::InvalidArgument("--data-dir '" + dir + "' is a file, not a directory");
  }
  Paths paths;
  paths.store = url;
  paths.data_dir = dir;
  const std::filesystem::path folder(dir);
  paths.key_file = (folder / "leadline.key").string();
  paths.mirrors_dir = (folder / "mirrors").string();
  paths.snapshots_dir = (folder / "snapshots").string();
  paths.servers_dir = (folder / "servers").string();
  paths.settings_file = (folder / "leadline.toml").string();
  return paths;
}

}  // namespace leadline::config
