// Bitbucket's webhook signatures: `X-Hub-Signature: sha256=<hex HMAC-SHA256(raw body, secret)>`
// (Cloud and Data Center alike). Checked in constant time. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace leadline::auth {

// "sha256=<64 lowercase hex digits>" for `body` under `secret`.
std::string SignHubSignature(std::string_view body, std::string_view secret);

// Whether `header` is a valid signature of `body` under `secret`. A missing, malformed or
// differently-algorithmed header is not.
bool VerifyHubSignature(std::string_view header, std::string_view body, std::string_view secret);

// A new random webhook secret: 32 bytes as 64 hex digits.
std::string NewWebhookSecret();

}  // namespace leadline::auth
