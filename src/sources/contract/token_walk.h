// Where an incident walk that pages by an opaque token stands, as the cursor saved with each page:
// one listing of the incidents changed since the walk's `since`, followed page by page by the
// token each answer names for the next (incident.io's `after`, Jira's `nextPageToken`,
// Opsgenie's offset) until an answer names none. Shared by the incident tools that page this way;
// a walk over windows (PagerDuty's) shares only the end cursor. Pure functions; thread-safe.
//
// Cursors: "walk <since> <end> <token>" inside a walk ("-" before its first page),
// "after <end>" once it ended.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "common/status.h"
#include "common/time.h"

namespace leadline::sources {

struct TokenWalk {
  common::UnixSeconds since = 0;
  common::UnixSeconds end = 0;  // the walk's `now`
  std::string token;            // "" before the first page

  bool operator==(const TokenWalk&) const = default;
};

// "after <end>": the cursor of a walk that ended.
std::string EncodeWalkEnd(common::UnixSeconds end);
bool IsInsideWalk(const std::string& cursor);
// The end an "after <end>" cursor names; nullopt for any other text.
std::optional<common::UnixSeconds> DecodeWalkEnd(const std::string& cursor);

// How one tool's tokens look: who names them (for messages) and how long one may be.
struct TokenRules {
  const char* who;  // "incident.io"
  std::size_t max_token_bytes;
};

std::string EncodeTokenWalk(const TokenWalk& walk);
// A new walk from `since` (at most `now`) to `now`.
TokenWalk StartTokenWalk(common::UnixSeconds since, common::UnixSeconds now);
// The position of a cursor inside a walk; an error that says how to start again for any other
// text.
common::Result<TokenWalk> DecodeTokenWalk(const std::string& cursor, const TokenRules& rules);
// Where the walk goes after the page read at `at` named `next` ("" for none): nullopt when it
// ended; an error when the listing names the page it was asked for again (it would never end)
// or a token that is not one word of at most max_token_bytes.
common::Result<std::optional<TokenWalk>> NextTokenWalk(const TokenWalk& at, const std::string& next,
                                                       const TokenRules& rules);

}  // namespace leadline::sources
