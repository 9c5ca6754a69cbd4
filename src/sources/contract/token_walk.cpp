#include "sources/contract/token_walk.h"

#include <algorithm>
#include <sstream>

namespace leadline::sources {

using common::Result;
using common::Status;
using common::UnixSeconds;

namespace {

// A token is saved as one word of the cursor: no spaces or control characters, and not "-".
bool IsTokenWord(const std::string& word, std::size_t max_bytes) {
  if (word.empty() || word.size() > max_bytes) return false;
  return std::none_of(word.begin(), word.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

}  // namespace

std::string EncodeWalkEnd(UnixSeconds end) { return "after " + std::to_string(end); }

bool IsInsideWalk(const std::string& cursor) { return cursor.starts_with("walk "); }

std::optional<UnixSeconds> DecodeWalkEnd(const std::string& cursor) {
  std::istringstream in(cursor);
  std::string word, rest;
  UnixSeconds end = 0;
  in >> word >> end;
  if (!in || word != "after" || (in >> rest)) return std::nullopt;
  return end;
}

std::string EncodeTokenWalk(const TokenWalk& walk) {
  return "walk " + std::to_string(walk.since) + " " + std::to_string(walk.end) + " " +
         (walk.token.empty() ? "-" : walk.token);
}

TokenWalk StartTokenWalk(UnixSeconds since, UnixSeconds now) {
  return {std::min(since, now), now, ""};
}

Result<TokenWalk> DecodeTokenWalk(const std::string& cursor, const TokenRules& rules) {
  std::istringstream in(cursor);
  std::string word, token, rest;
  TokenWalk walk;
  in >> word >> walk.since >> walk.end >> token;
  if (!in || word != "walk" || (in >> rest) || walk.since < 0 || walk.since > walk.end ||
      !IsTokenWord(token, rules.max_token_bytes)) {
    return Status::InvalidArgument("the stored " + std::string(rules.who) + " sync cursor '" +
                                   cursor.substr(0, 200) +
                                   "' is not one this version writes; run `leadline incidents "
                                   "sync --restart`");
  }
  walk.token = token == "-" ? "" : token;
  return walk;
}

Result<std::optional<TokenWalk>> NextTokenWalk(const TokenWalk& at, const std::string& next,
                                               const TokenRules& rules) {
  if (next.empty()) return std::optional<TokenWalk>();
  if (next == at.token || next == "-" || !IsTokenWord(next, rules.max_token_bytes)) {
    return Status::InvalidArgument(std::string(rules.who) + "'s incident listing names '" +
                                   next.substr(0, 200) + "' as its next page after '" +
                                   at.token.substr(0, 200) + "': it would never end");
  }
  TokenWalk walk = at;
  walk.token = next;
  return std::optional<TokenWalk>(walk);
}

}  // namespace leadline::sources
