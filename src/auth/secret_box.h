// SecretBox: encrypts secrets kept at rest (connection tokens and passwords in the store) with
// libsodium's secretbox (XSalsa20-Poly1305, a random nonce per secret). The key comes from the
// environment variable LEADLINE_SECRET_KEY (64 hex digits) when set, otherwise from a key file
// created on first use with a random key and mode 0600. A sealed secret is text:
// "v1:" + base64(nonce || ciphertext). Immutable after construction: thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace leadline::auth {

inline constexpr const char* kSecretKeyVariable = "LEADLINE_SECRET_KEY";

class SecretBox {
 public:
  static constexpr std::size_t kKeyBytes = 32;
  using Key = std::array<std::uint8_t, kKeyBytes>;

  explicit SecretBox(const Key& key);

  // LEADLINE_SECRET_KEY if set (and valid), else the key in `key_file`, created when missing.
  // A key file that others can read is refused, as ssh does.
  static common::Result<SecretBox> FromEnvironmentOrKeyFile(const std::string& key_file);

  std::string Seal(std::string_view plaintext) const;
  // Fails when `sealed` is malformed, was sealed with another key, or was altered.
  common::Result<std::string> Open(std::string_view sealed) const;

 private:
  Key key_;
};

// Parses 64 hex digits into a key.
common::Result<SecretBox::Key> ParseHexKey(std::string_view hex, const std::string& where);

}  // namespace leadline::auth
