#include "store/store_url.h"

#include <algorithm>

namespace leadline::store {

using common::Result;
using common::Status;

namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> PasswordSpans(std::string_view text) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  const std::size_t scheme = text.find("://");
  if (scheme != std::string_view::npos) {
    const std::size_t authority = scheme + 3;
    const std::size_t end = text.find_first_of("/?#", authority);
    const std::size_t at = text.rfind('@', end == std::string_view::npos ? text.size() : end);
    if (at != std::string_view::npos && at > authority) {
      const std::size_t colon = text.find(':', authority);
      if (colon != std::string_view::npos && colon < at) {
        spans.emplace_back(colon + 1, at - colon - 1);
      }
    }
  }
  // password=... among the query parameters (or in a key=value connection string).
  for (std::size_t at = text.find("password="); at != std::string_view::npos;
       at = text.find("password=", at + 1)) {
    const std::size_t value = at + 9;
    const std::size_t end = text.find_first_of("& ", value);
    spans.emplace_back(value, (end == std::string_view::npos ? text.size() : end) - value);
  }
  std::sort(spans.begin(), spans.end());
  return spans;
}

std::string RedactPassword(std::string_view url) {
  std::string out;
  std::size_t copied = 0;
  for (const auto& [offset, length] : PasswordSpans(url)) {
    if (offset < copied) continue;  // inside a span already replaced
    out.append(url.substr(copied, offset - copied)).append("***");
    copied = offset + length;
  }
  return out.append(url.substr(copied));
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
