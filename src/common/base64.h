// Base64 (RFC 4648): the standard alphabet with padding, for HTTP Basic credentials, and the
// URL-safe alphabet without padding, as JOSE (JWT, JWK) and PKCE use it. Pure functions;
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leadline::common {

std::string Base64(std::string_view bytes);

// URL-safe, unpadded.
std::string Base64Url(std::string_view bytes);
// Strict: only the URL-safe alphabet, no padding, no whitespace, and unused trailing bits zero
// (so that one value has one encoding); nullopt otherwise.
std::optional<std::string> DecodeBase64Url(std::string_view text);

}  // namespace leadline::common
