#include "auth/jwk.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>

#include "common/base64.h"

namespace leadline::auth {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

// More keys than any issuer publishes; a set past it is read up to it.
constexpr std::size_t kMostKeys = 100;
constexpr int kFewestRsaBits = 2048;
constexpr int kMostRsaBits = 8192;  // verifying with larger keys costs a caller's CPU

struct Deleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
  void operator()(BIGNUM* n) const { BN_free(n); }
};
template <typename T>
using Owned = std::unique_ptr<T, Deleter>;

// A member that must be a base64url string; its bytes, or why not.
Result<std::string> Bytes(const json& jwk, const char* member) {
  const auto it = jwk.find(member);
  if (it == jwk.end() || !it->is_string()) {
    return Status::InvalidArgument(std::string("no '") + member + "'");
  }
  std::optional<std::string> bytes = common::DecodeBase64Url(it->get<std::string>());
  if (!bytes || bytes->empty()) {
    return Status::InvalidArgument(std::string("'") + member + "' is not base64url");
  }
  return *std::move(bytes);
}

Result<std::shared_ptr<EVP_PKEY>> FromData(const char* type, OSSL_PARAM_BLD* bld) {
  Owned<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(bld));
  Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return Status::InvalidArgument("not a valid key");
  }
  return std::shared_ptr<EVP_PKEY>(key, Deleter());
}

Result<std::shared_ptr<EVP_PKEY>> RsaKey(const json& jwk) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string n, Bytes(jwk, "n"));
  LEADLINE_ASSIGN_OR_RETURN(const std::string e, Bytes(jwk, "e"));
  if (n.size() * 8 > kMostRsaBits || e.size() > 8) {
    return Status::InvalidArgument("an RSA key over 8192 bits");
  }
  const auto* n_bytes = reinterpret_cast<const unsigned char*>(n.data());
  const auto* e_bytes = reinterpret_cast<const unsigned char*>(e.data());
  Owned<BIGNUM> n_bn(BN_bin2bn(n_bytes, static_cast<int>(n.size()), nullptr));
  Owned<BIGNUM> e_bn(BN_bin2bn(e_bytes, static_cast<int>(e.size()), nullptr));
  Owned<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  if (!n_bn || !e_bn || !bld ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n_bn.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e_bn.get()) != 1) {
    return Status::Internal("cannot build an RSA key");
  }
  LEADLINE_ASSIGN_OR_RETURN(std::shared_ptr<EVP_PKEY> key, FromData("RSA", bld.get()));
  if (EVP_PKEY_get_bits(key.get()) < kFewestRsaBits) {
    return Status::InvalidArgument("an RSA key under 2048 bits");
  }
  return key;
}

Result<std::shared_ptr<EVP_PKEY>> P256Key(const json& jwk) {
  if (jwk.value("crv", "") != "P-256") return Status::InvalidArgument("not on curve P-256");
  LEADLINE_ASSIGN_OR_RETURN(const std::string x, Bytes(jwk, "x"));
  LEADLINE_ASSIGN_OR_RETURN(const std::string y, Bytes(jwk, "y"));
  if (x.size() != 32 || y.size() != 32) {
    return Status::InvalidArgument("coordinates that are not 32 bytes");
  }
  const std::string point = "\x04" + x + y;  // uncompressed
  Owned<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return Status::Internal("cannot build an EC key");
  }
  LEADLINE_ASSIGN_OR_RETURN(std::shared_ptr<EVP_PKEY> key, FromData("EC", bld.get()));
  // A point off the curve would let a crafted key leak nothing here (verification only), but
  // it is no key of the issuer's either.
  Owned<EVP_PKEY_CTX> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    return Status::InvalidArgument("a point that is not on the curve");
  }
  return key;
}

Result<std::shared_ptr<EVP_PKEY>> Ed25519Key(const json& jwk) {
  if (jwk.value("crv", "") != "Ed25519") return Status::InvalidArgument("not an Ed25519 key");
  LEADLINE_ASSIGN_OR_RETURN(const std::string x, Bytes(jwk, "x"));
  if (x.size() != 32) return Status::InvalidArgument("a key that is not 32 bytes");
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x.data()), x.size());
  if (key == nullptr) return Status::InvalidArgument("not a valid key");
  return std::shared_ptr<EVP_PKEY>(key, Deleter());
}

Result<PublicKey> ReadKey(const json& jwk) {
  if (!jwk.is_object()) return Status::InvalidArgument("not an object");
  PublicKey key;
  if (const auto kid = jwk.find("kid"); kid != jwk.end()) {
    if (!kid->is_string()) return Status::InvalidArgument("a 'kid' that is not a string");
    key.kid = kid->get<std::string>();
  }
  if (const auto use = jwk.find("use"); use != jwk.end() && *use != "sig") {
    return Status::InvalidArgument("not for signatures ('use')");
  }
  if (const auto alg = jwk.find("alg"); alg != jwk.end()) {
    key.alg = alg->is_string() ? JwtAlgorithmNamed(alg->get<std::string>()) : std::nullopt;
    if (!key.alg) return Status::InvalidArgument("an 'alg' Leadline does not accept");
  }
  const std::string kty = jwk.value("kty", "");
  if (kty == "RSA") {
    key.type = KeyType::kRsa;
    LEADLINE_ASSIGN_OR_RETURN(key.key, RsaKey(jwk));
  } else if (kty == "EC") {
    key.type = KeyType::kP256;
    LEADLINE_ASSIGN_OR_RETURN(key.key, P256Key(jwk));
  } else if (kty == "OKP") {
    key.type = KeyType::kEd25519;
    LEADLINE_ASSIGN_OR_RETURN(key.key, Ed25519Key(jwk));
  } else {
    return Status::InvalidArgument("a key type ('kty') other than RSA, EC or OKP");
  }
  if (key.alg && !key.Fits(*key.alg)) {
    return Status::InvalidArgument("an 'alg' that does not fit its type");
  }
  return key;
}

}  // namespace

std::optional<JwtAlgorithm> JwtAlgorithmNamed(std::string_view name) {
  if (name == "RS256") return JwtAlgorithm::kRS256;
  if (name == "PS256") return JwtAlgorithm::kPS256;
  if (name == "ES256") return JwtAlgorithm::kES256;
  if (name == "EdDSA") return JwtAlgorithm::kEdDSA;
  return std::nullopt;
}

const char* NameOf(JwtAlgorithm algorithm) {
  switch (algorithm) {
    case JwtAlgorithm::kRS256:
      return "RS256";
    case JwtAlgorithm::kPS256:
      return "PS256";
    case JwtAlgorithm::kES256:
      return "ES256";
    case JwtAlgorithm::kEdDSA:
      return "EdDSA";
  }
  return "?";
}

bool PublicKey::Fits(JwtAlgorithm algorithm) const {
  if (alg && *alg != algorithm) return false;  // one key, one algorithm
  switch (algorithm) {
    case JwtAlgorithm::kRS256:
    case JwtAlgorithm::kPS256:
      return type == KeyType::kRsa;
    case JwtAlgorithm::kES256:
      return type == KeyType::kP256;
    case JwtAlgorithm::kEdDSA:
      return type == KeyType::kEd25519;
  }
  return false;
}

Result<KeySet> ParseKeySet(std::string_view text) {
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object() || !document.contains("keys") ||
      !document["keys"].is_array()) {
    return Status::InvalidArgument("not a JSON Web Key Set (an object with a 'keys' array)");
  }
  KeySet set;
  for (const json& jwk : document["keys"]) {
    if (set.keys.size() == kMostKeys) {
      set.skipped.push_back("keys past the first " + std::to_string(kMostKeys));
      break;
    }
    Result<PublicKey> key = ReadKey(jwk);
    if (key.ok()) {
      set.keys.push_back(*std::move(key));
    } else {
      const std::string kid = jwk.is_object() ? jwk.value("kid", std::string()) : std::string();
      set.skipped.push_back("kid '" + kid + "': " + key.status().message());
    }
  }
  return set;
}

}  // namespace leadline::auth
