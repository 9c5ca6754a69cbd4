#include "api/static_files.h"

#include <array>
#include <string_view>
#include <utility>

#include "common/file.h"

namespace leadline::api {
namespace {

std::string ContentType(const std::filesystem::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  }};
  const std::string extension = file.extension().string();
  for (const auto& [known, type] : kTypes) {
    if (extension == known) return std::string(type);
  }
  return "application/octet-stream";
}

// The page's own code only: no inline scripts, no other origin.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

}  // namespace

common::Result<StaticFiles> StaticFiles::Load(const std::filesystem::path& root) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(root / "index.html", error)) {
    return common::Status::FailedPrecondition(
        "the dashboard is not built: " + (root / "index.html").string() +
        " is missing (run `npm ci && npm run build` in web/)");
  }
  StaticFiles out;
  for (auto it = std::filesystem::recursive_directory_iterator(root, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file()) continue;
    LEADLINE_ASSIGN_OR_RETURN(std::string body,
                              common::ReadTextFile(it->path().string(), "dashboard file"));
    const std::string url = "/" + it->path().lexically_relative(root).generic_string();
    out.files_[url] = {std::move(body), ContentType(it->path())};
  }
  if (error) {
    return common::Status::Unavailable("cannot read " + root.string() + ": " + error.message());
  }
  return out;
}

std::optional<HttpResponse> StaticFiles::Answer(const std::string& path) const {
  const bool page_route =
      path.find('.', path.rfind('/') + 1) == std::string::npos && !path.starts_with("/v1/");
  const auto found = files_.find(page_route ? "/index.html" : path);
  if (found == files_.end()) return std::nullopt;
  HttpResponse response;
  response.body = found->second.body;
  response.content_type = found->second.content_type;
  const bool hashed_asset = path.starts_with("/assets/");
  response.headers = {
      {"Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache"},
      {"X-Content-Type-Options", "nosniff"},
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"Referrer-Policy", "no-referrer"}};
  return response;
}

}  // namespace leadline::api
