#include "testing/jwt_signer.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <stdexcept>
#include <utility>

#include "common/base64.h"

namespace leadline::testing {
namespace {

using common::Base64Url;

std::string BigNumParam(EVP_PKEY* key, const char* name, int width) {
  BIGNUM* n = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &n) != 1) throw std::runtime_error("no key parameter");
  std::string bytes(static_cast<std::size_t>(width > 0 ? width : BN_num_bytes(n)), '\0');
  if (width > 0) {
    BN_bn2binpad(n, reinterpret_cast<unsigned char*>(bytes.data()), width);
  } else {
    BN_bn2bin(n, reinterpret_cast<unsigned char*>(bytes.data()));
  }
  BN_free(n);
  return bytes;
}

std::string Quoted(const std::string& name, const std::string& value) {
  return "\"" + name + "\":\"" + value + "\"";
}

}  // namespace

JwtSigner::JwtSigner(TestKeyType type, std::string kid) : type_(type), kid_(std::move(kid)) {
  switch (type) {
    case TestKeyType::kRsa:
      key_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
      break;
    case TestKeyType::kP256:
      key_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case TestKeyType::kEd25519:
      key_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  if (key_ == nullptr) throw std::runtime_error("cannot generate a key");
}

JwtSigner::~JwtSigner() { EVP_PKEY_free(key_); }
JwtSigner::JwtSigner(JwtSigner&& other) noexcept
    : type_(other.type_), kid_(std::move(other.kid_)), key_(std::exchange(other.key_, nullptr)) {}
JwtSigner& JwtSigner::operator=(JwtSigner&& other) noexcept {
  std::swap(type_, other.type_);
  std::swap(kid_, other.kid_);
  std::swap(key_, other.key_);
  return *this;
}

std::string JwtSigner::PublicJwk(const std::string& alg) const {
  std::string jwk = "{" + Quoted("kid", kid_) + ",\"use\":\"sig\"";
  if (!alg.empty()) jwk += "," + Quoted("alg", alg);
  switch (type_) {
    case TestKeyType::kRsa:
      jwk += ",\"kty\":\"RSA\"," +
             Quoted("n", Base64Url(BigNumParam(key_, OSSL_PKEY_PARAM_RSA_N, 0))) + "," +
             Quoted("e", Base64Url(BigNumParam(key_, OSSL_PKEY_PARAM_RSA_E, 0)));
      break;
    case TestKeyType::kP256:
      jwk += ",\"kty\":\"EC\",\"crv\":\"P-256\"," +
             Quoted("x", Base64Url(BigNumParam(key_, OSSL_PKEY_PARAM_EC_PUB_X, 32))) + "," +
             Quoted("y", Base64Url(BigNumParam(key_, OSSL_PKEY_PARAM_EC_PUB_Y, 32)));
      break;
    case TestKeyType::kEd25519: {
      std::string raw(32, '\0');
      std::size_t length = raw.size();
      EVP_PKEY_get_raw_public_key(key_, reinterpret_cast<unsigned char*>(raw.data()), &length);
      jwk += ",\"kty\":\"OKP\",\"crv\":\"Ed25519\"," + Quoted("x", Base64Url(raw));
      break;
    }
  }
  return jwk + "}";
}

std::string JwtSigner::Sign(const std::string& header_json, const std::string& claims_json,
                            const std::string& alg) const {
  const std::string signed_part = Base64Url(header_json) + "." + Base64Url(claims_json);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* md = alg == "EdDSA" ? nullptr : EVP_sha256();
  if (EVP_DigestSignInit(ctx, &pctx, md, nullptr, key_) != 1) {
    throw std::runtime_error("cannot sign");
  }
  if (alg == "PS256") {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(signed_part.data());
  EVP_DigestSign(ctx, nullptr, &length, data, signed_part.size());
  std::string signature(length, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                 signed_part.size());
  signature.resize(length);
  EVP_MD_CTX_free(ctx);
  if (alg == "ES256") {  // DER to JOSE's r || s
    const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(sig);
    signature = raw;
  }
  return signed_part + "." + Base64Url(signature);
}

std::string JwtSigner::SignClaims(const std::string& claims_json, const std::string& alg) const {
  return Sign("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid_ + "\",\"typ\":\"JWT\"}", claims_json,
              alg);
}

std::string KeySetJson(std::initializer_list<std::string> jwks) {
  std::string out = "{\"keys\":[";
  bool first = true;
  for (const std::string& jwk : jwks) {
    if (!first) out += ",";
    out += jwk;
    first = false;
  }
  return out + "]}";
}

std::string SignHs256(const std::string& header_json, const std::string& claims_json,
                      const std::string& secret) {
  const std::string signed_part = Base64Url(header_json) + "." + Base64Url(claims_json);
  unsigned char mac[32];
  unsigned int length = sizeof(mac);
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac,
       &length);
  return signed_part + "." + Base64Url(std::string(reinterpret_cast<char*>(mac), length));
}

}  // namespace leadline::testing
