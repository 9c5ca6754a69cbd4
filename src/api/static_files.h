// The dashboard's built files (web/dist), served at `/`: read into memory once at start (a few
// hundred KB), so that a request never touches the disk and no path can escape the folder.
// `/` and any path without a file extension outside /v1/ answer index.html (the page routes on
// its own); hashed assets under /assets/ are cached for a year, index.html never.
// Immutable after Load(); thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "api/http_types.h"
#include "common/status.h"

namespace leadline::api {

class StaticFiles {
 public:
  // Reads every file under `root`; FailedPrecondition when it has no index.html.
  static common::Result<StaticFiles> Load(const std::filesystem::path& root);

  // The file for a GET of `path`, or nullopt when there is none.
  std::optional<HttpResponse> Answer(const std::string& path) const;
  std::size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string body;
    std::string content_type;
  };
  std::map<std::string, File> files_;  // by URL path: "/index.html", "/assets/app-3f2a.js"
};

}  // namespace leadline::api
