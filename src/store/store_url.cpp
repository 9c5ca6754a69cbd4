#include "store/store_url.h"

namespace leadline::store {

using common::Result;
using common::Status;

namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string RedactPassword(std::string_view url) {
  std::string out(url);
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t authority = scheme + 3;
    const std::size_t end = out.find_first_of("/?#", authority);
    const std::size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at > authority) {
      const std::size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... among the query parameters (or in a key=value connection string).
  for (std::size_t at = out.find("password="); at != std::string::npos;
       at = out.find("password=", at + 1)) {
    const std::size_t value = at + 9;
    const std::size_t end = out.find_first_of("& ", value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

Result<StoreUrl> ParseStoreUrl(std::string_view text) {
  if (text.empty()) return Status::InvalidArgument("the store URL is empty");
  StoreUrl url;
  if (StartsWith(text, "postgres://") || StartsWith(text, "postgresql://")) {
    const std::string_view rest = text.substr(text.find("://") + 3);
    if (rest.empty() || rest.front() == '/' || rest.front() == '?') {
      return Status::InvalidArgument("the store URL '" + RedactPassword(text) +
                                     "' names no server: use postgres://USER@HOST:PORT/DATABASE");
    }
    url.engine = sql::Engine::kPostgres;
    url.target = std::string(text);
    url.display = "'" + RedactPassword(text) + "'";
    return url;
  }
  bool explicit_sqlite = false;
  if (StartsWith(text, "sqlite:")) {
    text.remove_prefix(7);
    explicit_sqlite = true;
  }
  if (StartsWith(text, "//")) {
    return Status::InvalidArgument("write a SQLite store as sqlite:PATH (or the bare path), not '" +
                                   std::string("sqlite:") + std::string(text) + "'");
  }
  const std::size_t scheme = text.find("://");
  if (scheme != std::string_view::npos) {
    return Status::InvalidArgument(
        "unknown store URL '" + RedactPassword(text) +
        "': use a SQLite file (sqlite:PATH, or the path) or postgres://USER@HOST:PORT/DATABASE");
  }
  url.engine = sql::Engine::kSqlite;
  url.display = "'" + std::string(text) + "'";
  // Options only after `sqlite:`: a bare path is a file's name, '?' and all.
  const std::size_t query = explicit_sqlite ? text.find('?') : std::string_view::npos;
  if (query != std::string_view::npos) {
    const std::string_view option = text.substr(query + 1);
    if (option == "synchronous=full") {
      url.flush_every_commit = true;
    } else if (option != "synchronous=normal") {
      return Status::InvalidArgument("unknown SQLite store option '" + std::string(option) +
                                     "': the one option is synchronous=normal or synchronous=full");
    }
    text = text.substr(0, query);
  }
  if (text.empty()) return Status::InvalidArgument("the store URL 'sqlite:' names no file");
  url.target = std::string(text);
  return url;
}

}  // namespace leadline::store
