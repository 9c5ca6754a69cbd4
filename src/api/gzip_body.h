// Inflates a gzip request body as a stream, stopping as soon as the inflated size passes the
// limit, so that a small compressed body cannot make the server allocate more than the limit
// allows (a "zip bomb"). Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace leadline::api {

struct InflatedBody {
  enum class Outcome { kOk, kTooLarge, kCorrupt };
  Outcome outcome = Outcome::kOk;
  std::string body;  // when kOk
};

// kTooLarge as soon as the inflated body passes `limit` bytes; kCorrupt when `compressed` is not
// one complete gzip stream.
InflatedBody InflateGzip(std::string_view compressed, std::size_t limit);

}  // namespace leadline::api
