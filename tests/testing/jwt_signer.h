// Test support: signing keys generated in the test (RSA 2048, P-256, Ed25519), their public
// halves as a JSON Web Key Set, and JWTs signed with them, including the malformed and
// malicious ones a verifier must refuse. Tests only; a JwtSigner is not thread-safe.
#pragma once

#include <memory>
#include <string>

struct evp_pkey_st;

namespace leadline::testing {

enum class TestKeyType { kRsa, kP256, kEd25519 };

class JwtSigner {
 public:
  JwtSigner(TestKeyType type, std::string kid);
  ~JwtSigner();
  JwtSigner(JwtSigner&&) noexcept;
  JwtSigner& operator=(JwtSigner&&) noexcept;

  // The public key as one JWK object (JSON text), with "alg" when `alg` is not empty.
  std::string PublicJwk(const std::string& alg = "") const;
  // `header.claims.signature`: the header and claims as given (JSON text, base64url-encoded
  // here) and signed with `alg` ("RS256", "PS256", "ES256" or "EdDSA").
  std::string Sign(const std::string& header_json, const std::string& claims_json,
                   const std::string& alg) const;
  // The same with a header of {"alg": alg, "kid": kid, "typ": "JWT"}.
  std::string SignClaims(const std::string& claims_json, const std::string& alg) const;
  const std::string& kid() const { return kid_; }

 private:
  TestKeyType type_;
  std::string kid_;
  evp_pkey_st* key_ = nullptr;
};

// {"keys": [jwk, ...]}
std::string KeySetJson(std::initializer_list<std::string> jwks);
// An HS256 token whose HMAC key is `secret`: what an algorithm-confusion attack sends.
std::string SignHs256(const std::string& header_json, const std::string& claims_json,
                      const std::string& secret);

}  // namespace leadline::testing
