#include "sources/contract/webhook_signature.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sodium.h>

#include <charconv>
#include <memory>
#include <optional>

namespace leadline::sources {
namespace {

using Mac = unsigned char[32];  // HMAC-SHA256

void Ready() {
  static const int ready = sodium_init();
  (void)ready;
}

// HMAC-SHA256 of the concatenated `parts` under `key`; false (and `out` unusable) if OpenSSL
// failed. OpenSSL, not libsodium: its SHA-256 uses the processor's SHA instructions where there
// are some, and every delivery's whole body is hashed (an 11 KB delivery: see
// docs/benchmarks.md, "Webhook signatures").
template <typename... Parts>
[[nodiscard]] bool Compute(std::string_view key, Mac out, Parts... parts) {
  static EVP_MAC* const hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);  // thread-safe to share
  if (hmac == nullptr) return false;
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> context(EVP_MAC_CTX_new(hmac),
                                                                    &EVP_MAC_CTX_free);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  static const unsigned char kNoKey = 0;  // a key of no bytes is still a key, not "keep the last"
  if (!context ||
      EVP_MAC_init(context.get(),
                   key.empty() ? &kNoKey : reinterpret_cast<const unsigned char*>(key.data()),
                   key.size(), params) != 1) {
    return false;
  }
  for (std::string_view part : {std::string_view(parts)...}) {
    if (EVP_MAC_update(context.get(), reinterpret_cast<const unsigned char*>(part.data()),
                       part.size()) != 1) {
      return false;
    }
  }
  std::size_t length = 0;
  return EVP_MAC_final(context.get(), out, &length, sizeof(Mac)) == 1 && length == sizeof(Mac);
}

constexpr std::string_view kPrefix = "sha256=";

// The key of a Standard Webhooks secret: "whsec_<base64>" decoded, else the secret's bytes.
std::optional<std::string> StandardKey(std::string_view secret) {
  constexpr std::string_view kWhsec = "whsec_";
  if (!secret.starts_with(kWhsec)) return std::string(secret);
  const std::string_view encoded = secret.substr(kWhsec.size());
  std::string key(encoded.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), encoded.data(),
                        encoded.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  key.resize(length);
  return key;
}

std::string Base64(const unsigned char* bytes, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

}  // namespace

std::string SignHubSignature(std::string_view body, std::string_view secret) {
  Mac mac;
  if (!Compute(secret, mac, body)) return "";
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
  return Compute(secret, expected, body) && sodium_memcmp(given, expected, sizeof(given)) == 0;
}

PagerDutySignature VerifyPagerDutySignature(std::string_view header, std::string_view body,
                                            std::string_view secret) {
  Mac expected;
  const bool computed = Compute(secret, expected, body);
  bool any_v1 = false;
  bool matched = false;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view entry = header.substr(0, comma);
    header = comma == std::string_view::npos ? "" : header.substr(comma + 1);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (!entry.starts_with("v1=")) continue;
    any_v1 = true;
    const std::string_view hex = entry.substr(3);
    Mac given;
    std::size_t length = 0;
    // Every entry is compared, so that the time taken tells nothing of which one matched.
    if (hex.size() == sizeof(given) * 2 &&
        sodium_hex2bin(given, sizeof(given), hex.data(), hex.size(), nullptr, &length, nullptr) ==
            0 &&
        length == sizeof(given) && sodium_memcmp(given, expected, sizeof(given)) == 0) {
      matched = true;
    }
  }
  if (matched && computed && !secret.empty()) return PagerDutySignature::kValid;
  return any_v1 ? PagerDutySignature::kMismatch : PagerDutySignature::kMalformed;
}

std::string SignPagerDutyWebhook(std::string_view body, std::string_view secret) {
  Mac mac;
  if (!Compute(secret, mac, body)) return "";
  char hex[sizeof(mac) * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
  return std::string("v1=") + hex;
}

std::string NewWebhookSecret() {
  Ready();
  unsigned char random[32];
  randombytes_buf(random, sizeof(random));
  char hex[sizeof(random) * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), random, sizeof(random));
  return hex;
}

bool SecretsEqual(std::string_view given, std::string_view expected) {
  Ready();
  unsigned char given_hash[crypto_hash_sha256_BYTES];
  unsigned char expected_hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(given_hash, reinterpret_cast<const unsigned char*>(given.data()),
                     given.size());
  crypto_hash_sha256(expected_hash, reinterpret_cast<const unsigned char*>(expected.data()),
                     expected.size());
  const bool equal = sodium_memcmp(given_hash, expected_hash, sizeof(given_hash)) == 0;
  return equal && !expected.empty();
}

StandardSignature VerifyStandardWebhook(std::string_view id, std::string_view timestamp,
                                        std::string_view signatures, std::string_view body,
                                        std::string_view secret, common::UnixSeconds now,
                                        common::Seconds tolerance) {
  common::UnixSeconds sent = 0;
  const auto [end, error] =
      std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), sent);
  if (id.empty() || timestamp.empty() || error != std::errc() ||
      end != timestamp.data() + timestamp.size()) {
    return StandardSignature::kMalformed;
  }
  if (sent < now - tolerance || sent > now + tolerance) return StandardSignature::kOutOfWindow;
  const std::optional<std::string> key = StandardKey(secret);
  if (!key || key->empty()) return StandardSignature::kMismatch;
  Mac expected;
  if (!Compute(*key, expected, id, ".", timestamp, ".", body)) return StandardSignature::kMismatch;
  bool any_v1 = false;
  while (!signatures.empty()) {
    const std::size_t space = signatures.find(' ');
    const std::string_view entry = signatures.substr(0, space);
    signatures = space == std::string_view::npos ? "" : signatures.substr(space + 1);
    if (!entry.starts_with("v1,")) continue;  // other versions, or empty between two spaces
    any_v1 = true;
    const std::string_view encoded = entry.substr(3);
    Mac given;
    std::size_t length = 0;
    if (sodium_base642bin(given, sizeof(given), encoded.data(), encoded.size(), nullptr, &length,
                          nullptr, sodium_base64_VARIANT_ORIGINAL) == 0 &&
        length == sizeof(given) && sodium_memcmp(given, expected, sizeof(given)) == 0) {
      return StandardSignature::kValid;
    }
  }
  return any_v1 ? StandardSignature::kMismatch : StandardSignature::kMalformed;
}

std::string SignStandardWebhook(std::string_view id, std::string_view timestamp,
                                std::string_view body, std::string_view secret) {
  const std::string key = StandardKey(secret).value_or("");
  Mac mac;
  if (!Compute(key, mac, id, ".", timestamp, ".", body)) return "";
  return "v1," + Base64(mac, sizeof(mac));
}

}  // namespace leadline::sources
