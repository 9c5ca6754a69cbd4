// An issuer's signing keys, read from its JSON Web Key Set (RFC 7517, 7518, 8037), as the JWT
// verifier uses them: RSA keys (2048 bits or more) for RS256 and PS256, P-256 keys for ES256,
// Ed25519 keys for EdDSA. A key that is not for signatures, of another type or curve, too small,
// or not a valid point is left out, and the reason listed. Nothing here fetches anything.
//
// Ownership: a PublicKey shares its OpenSSL key; copies are cheap. Thread-safety: keys are
// immutable once read and may be used from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace leadline::auth {

// The signature algorithms Leadline accepts (never "none", never an HMAC).
enum class JwtAlgorithm { kRS256, kPS256, kES256, kEdDSA };
std::optional<JwtAlgorithm> JwtAlgorithmNamed(std::string_view name);
const char* NameOf(JwtAlgorithm algorithm);

enum class KeyType { kRsa, kP256, kEd25519 };

struct PublicKey {
  std::string kid;                  // may be empty
  std::optional<JwtAlgorithm> alg;  // the JWK's "alg", when it names one
  KeyType type = KeyType::kRsa;
  std::shared_ptr<evp_pkey_st> key;

  // Whether tokens signed with `algorithm` can be checked with this key.
  bool Fits(JwtAlgorithm algorithm) const;
};

struct KeySet {
  std::vector<PublicKey> keys;
  std::vector<std::string> skipped;  // "kid 'x': why", for the log
};

// Reads a JWKS document ({"keys": [...]}); an error only when it is not one at all.
common::Result<KeySet> ParseKeySet(std::string_view json);

}  // namespace leadline::auth
