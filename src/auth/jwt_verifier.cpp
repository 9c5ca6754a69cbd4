#include "auth/jwt_verifier.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "common/base64.h"

namespace leadline::auth {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

Status Refused(const std::string& why) { return Status::Unauthenticated("token refused: " + why); }

// Parses a JSON object, refusing a member name that appears twice at its top level: parsers
// disagree on which of two `alg`s or `aud`s wins, and a token should not depend on which.
class TopLevelObject : public nlohmann::json_sax<json> {
 public:
  static std::optional<json> Parse(std::string_view text) {
    TopLevelObject checker;
    if (!json::sax_parse(text, &checker) || checker.duplicate_) return std::nullopt;
    json value = json::parse(text, nullptr, false);
    if (value.is_discarded() || !value.is_object()) return std::nullopt;
    return value;
  }

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool key(string_t& name) override {
    if (depth_ == 1 && !keys_.insert(name).second) duplicate_ = true;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  int depth_ = 0;
  std::unordered_set<std::string> keys_;
  bool duplicate_ = false;
};

struct Parts {
  json header, claims;
  std::string_view signed_part;  // "header.payload", as sent
  std::string signature;
};

Result<Parts> Split(std::string_view token, std::size_t max_bytes) {
  if (token.size() > max_bytes) {
    return Refused("larger than " + std::to_string(max_bytes) + " bytes");
  }
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return Refused("not a signed JWT (three parts separated by dots)");
  }
  const auto header = common::DecodeBase64Url(token.substr(0, first));
  const auto payload = common::DecodeBase64Url(token.substr(first + 1, second - first - 1));
  auto signature = common::DecodeBase64Url(token.substr(second + 1));
  if (!header || !payload || !signature) return Refused("a part is not base64url");
  if (signature->empty()) return Refused("no signature");
  std::optional<json> header_json = TopLevelObject::Parse(*header);
  std::optional<json> claims = TopLevelObject::Parse(*payload);
  if (!header_json || !claims) {
    return Refused("its header or claims are not a JSON object with distinct member names");
  }
  return Parts{*std::move(header_json), *std::move(claims), token.substr(0, second),
               *std::move(signature)};
}

struct Deleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  void operator()(ECDSA_SIG* sig) const { ECDSA_SIG_free(sig); }
};

// JOSE's ES256 signature is r and s, 32 bytes each; OpenSSL verifies their DER form.
std::optional<std::string> EcdsaDer(const std::string& raw) {
  if (raw.size() != 64) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  std::unique_ptr<ECDSA_SIG, Deleter> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(bytes, 32, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

bool SignatureHolds(JwtAlgorithm algorithm, EVP_PKEY* key, std::string_view signed_part,
                    const std::string& signature) {
  std::string checked = signature;
  if (algorithm == JwtAlgorithm::kES256) {
    std::optional<std::string> der = EcdsaDer(signature);
    if (!der) return false;
    checked = *std::move(der);
  } else if (algorithm == JwtAlgorithm::kEdDSA) {
    if (signature.size() != 64) return false;
  } else if (static_cast<int>(signature.size()) != EVP_PKEY_get_size(key)) {
    return false;  // an RSA signature is exactly the modulus' size
  }
  std::unique_ptr<EVP_MD_CTX, Deleter> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* digest = algorithm == JwtAlgorithm::kEdDSA ? nullptr : EVP_sha256();
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, digest, nullptr, key) != 1) return false;
  if (algorithm == JwtAlgorithm::kRS256 &&
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return false;
  }
  if (algorithm == JwtAlgorithm::kPS256 &&
      (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
       EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1)) {
    return false;
  }
  return EVP_DigestVerify(
             ctx.get(), reinterpret_cast<const unsigned char*>(checked.data()), checked.size(),
             reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

Result<const PublicKey*> ChooseKey(const json& header, JwtAlgorithm algorithm, const KeySet& keys) {
  std::vector<const PublicKey*> fitting;
  const auto kid = header.find("kid");
  if (kid != header.end()) {
    if (!kid->is_string()) return Refused("its 'kid' is not a string");
    for (const PublicKey& key : keys.keys) {
      if (key.kid == kid->get<std::string>() && key.Fits(algorithm)) fitting.push_back(&key);
    }
    if (fitting.empty()) {
      return Status::NotFound("token refused: the issuer has no " + std::string(NameOf(algorithm)) +
                              " key with its 'kid'");
    }
  } else {
    for (const PublicKey& key : keys.keys) {
      if (key.Fits(algorithm)) fitting.push_back(&key);
    }
    if (fitting.size() != 1) {
      return Refused("it names no key ('kid') and the issuer has " +
                     std::to_string(fitting.size()) + " that fit");
    }
  }
  return fitting.front();
}

// A NumericDate claim (seconds since 1970, possibly fractional), when present.
Result<std::optional<common::UnixSeconds>> NumericDate(const json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end()) return std::optional<common::UnixSeconds>();
  if (!it->is_number()) return Refused(std::string("'") + name + "' is not a number");
  const double value = it->get<double>();
  if (!std::isfinite(value) || value < 0 || value > 253402300799.0) {  // up to year 9999
    return Refused(std::string("'") + name + "' is out of range");
  }
  return std::optional<common::UnixSeconds>(static_cast<common::UnixSeconds>(std::floor(value)));
}

void KeepClaims(const json& claims, VerifiedToken& token) {
  const auto text = [](const json& value) -> std::optional<std::string> {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number_integer()) return std::to_string(value.get<long long>());
    if (value.is_number_unsigned()) return std::to_string(value.get<unsigned long long>());
    if (value.is_number_float()) return value.dump();
    return std::nullopt;
  };
  for (const auto& [name, value] : claims.items()) {
    std::vector<std::string> values;
    if (value.is_array()) {
      for (const json& item : value) {
        if (auto t = text(item)) values.push_back(*std::move(t));
      }
    } else if (auto t = text(value)) {
      values.push_back(*std::move(t));
    } else {
      continue;
    }
    token.claims.emplace(name, std::move(values));
  }
}

}  // namespace

std::optional<std::string> VerifiedToken::Claim(const std::string& name) const {
  const auto found = claims.find(name);
  if (found == claims.end() || found->second.size() != 1) return std::nullopt;
  return found->second.front();
}

Result<VerifiedToken> VerifyJwt(std::string_view token, const IssuerPolicy& policy,
                                const KeySet& keys, common::UnixSeconds now) {
  LEADLINE_ASSIGN_OR_RETURN(const Parts parts, Split(token, policy.max_token_bytes));
  // The algorithm: the issuer's allow-list decides; the header only says which of them.
  const auto alg = parts.header.find("alg");
  if (alg == parts.header.end() || !alg->is_string()) return Refused("no 'alg'");
  const std::optional<JwtAlgorithm> algorithm = JwtAlgorithmNamed(alg->get<std::string>());
  if (!algorithm || !policy.algorithms.contains(*algorithm)) {
    return Refused("algorithm '" + alg->get<std::string>() + "' is not allowed for this issuer");
  }
  if (parts.header.contains("crit")) return Refused("it has critical extensions ('crit')");
  LEADLINE_ASSIGN_OR_RETURN(const PublicKey* key, ChooseKey(parts.header, *algorithm, keys));
  if (!SignatureHolds(*algorithm, key->key.get(), parts.signed_part, parts.signature)) {
    return Refused("the signature does not verify");
  }

  // The claims, now that they are the issuer's.
  const json& claims = parts.claims;
  VerifiedToken verified;
  const auto iss = claims.find("iss");
  if (iss == claims.end() || !iss->is_string() || iss->get<std::string>() != policy.issuer) {
    return Refused("'iss' is not the configured issuer");
  }
  verified.issuer = policy.issuer;
  const auto aud = claims.find("aud");
  if (aud != claims.end() && aud->is_string()) {
    verified.audiences.push_back(aud->get<std::string>());
  } else if (aud != claims.end() && aud->is_array()) {
    for (const json& one : *aud) {
      if (!one.is_string()) return Refused("'aud' holds something other than strings");
      verified.audiences.push_back(one.get<std::string>());
    }
  }
  const bool ours =
      std::any_of(verified.audiences.begin(), verified.audiences.end(), [&](const std::string& a) {
        return std::find(policy.audiences.begin(), policy.audiences.end(), a) !=
               policy.audiences.end();
      });
  if (!ours) return Refused("'aud' does not name this server");
  const common::Seconds leeway = std::clamp<common::Seconds>(policy.leeway, 0, kMostLeeway);
  LEADLINE_ASSIGN_OR_RETURN(const auto exp, NumericDate(claims, "exp"));
  LEADLINE_ASSIGN_OR_RETURN(const auto nbf, NumericDate(claims, "nbf"));
  LEADLINE_ASSIGN_OR_RETURN(const auto iat, NumericDate(claims, "iat"));
  if (!exp) return Refused("no 'exp'");
  if (now >= *exp + leeway) return Refused("it has expired");
  if (nbf && now + leeway < *nbf) return Refused("it is not valid yet ('nbf')");
  if (iat && *iat > now + leeway) return Refused("it was issued in the future ('iat')");
  verified.expires_at = *exp;
  verified.issued_at = iat;
  if (const auto sub = claims.find("sub"); sub != claims.end() && sub->is_string()) {
    verified.subject = sub->get<std::string>();
  }
  if (const auto jti = claims.find("jti"); jti != claims.end() && jti->is_string()) {
    verified.jwt_id = jti->get<std::string>();
  }
  verified.key_id = key->kid;
  KeepClaims(claims, verified);
  return verified;
}

}  // namespace leadline::auth
