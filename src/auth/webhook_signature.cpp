#include "auth/webhook_signature.h"

#include <sodium.h>

namespace leadline::auth {
namespace {

using Mac = unsigned char[crypto_auth_hmacsha256_BYTES];

void Compute(std::string_view body, std::string_view secret, Mac out) {
  static const int ready = sodium_init();
  (void)ready;
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_final(&state, out);
}

constexpr std::string_view kPrefix = "sha256=";

}  // namespace

std::string SignHubSignature(std::string_view body, std::string_view secret) {
  Mac mac;
  Compute(body, secret, mac);
  char hex[sizeof(mac) * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
  return std::string(kPrefix) + hex;
}

bool VerifyHubSignature(std::string_view header, std::string_view body, std::string_view secret) {
  if (secret.empty() || header.substr(0, kPrefix.size()) != kPrefix) return false;
  const std::string_view hex = header.substr(kPrefix.size());
  Mac given;
  std::size_t length = 0;
  if (hex.size() != sizeof(given) * 2 ||
      sodium_hex2bin(given, sizeof(given), hex.data(), hex.size(), nullptr, &length, nullptr) !=
          0 ||
      length != sizeof(given)) {
    return false;
  }
  Mac expected;
  Compute(body, secret, expected);
  return sodium_memcmp(given, expected, sizeof(given)) == 0;
}

std::string NewWebhookSecret() {
  static const int ready = sodium_init();
  (void)ready;
  unsigned char random[32];
  randombytes_buf(random, sizeof(random));
  char hex[sizeof(random) * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), random, sizeof(random));
  return hex;
}

}  // namespace leadline::auth
