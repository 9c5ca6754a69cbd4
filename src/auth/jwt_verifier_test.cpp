// The verifier against tokens signed in the test with generated keys, and against the attacks of
// RFC 8725: "none", HMAC with a public key, keys and algorithms that do not belong together,
// claims of another issuer or audience, times outside the leeway, and malformed tokens.
#include "auth/jwt_verifier.h"

#include <gtest/gtest.h>

#include <string>

#include "common/base64.h"
#include "testing/jwt_signer.h"

namespace leadline::auth {
namespace {

using testing::JwtSigner;
using testing::KeySetJson;
using testing::TestKeyType;

constexpr common::UnixSeconds kNow = 1'800'000'000;
const std::string kIssuer = "https://idp.example";

std::string Claims(const std::string& more = "", common::UnixSeconds exp = kNow + 300) {
  return R"({"iss":"https://idp.example","aud":"leadline","sub":"alice","exp":)" +
         std::to_string(exp) + R"(,"iat":)" + std::to_string(kNow - 10) + more + "}";
}

class JwtVerifierTest : public ::testing::Test {
 protected:
  JwtVerifierTest()
      : rsa_(TestKeyType::kRsa, "rsa-1"),
        ec_(TestKeyType::kP256, "ec-1"),
        ed_(TestKeyType::kEd25519, "ed-1") {
    policy_.issuer = kIssuer;
    policy_.audiences = {"leadline"};
    policy_.algorithms = {JwtAlgorithm::kRS256, JwtAlgorithm::kPS256, JwtAlgorithm::kES256,
                          JwtAlgorithm::kEdDSA};
    keys_ = Keys({rsa_.PublicJwk(), ec_.PublicJwk(), ed_.PublicJwk()});
  }

  static KeySet Keys(std::initializer_list<std::string> jwks) {
    auto set = ParseKeySet(KeySetJson(jwks));
    EXPECT_TRUE(set.ok()) << set.status().message();
    return *std::move(set);
  }
  common::Result<VerifiedToken> Verify(const std::string& token) {
    return VerifyJwt(token, policy_, keys_, kNow);
  }
  // The refusal's message, or "" when the token was accepted.
  std::string Refusal(const std::string& token) {
    auto verified = Verify(token);
    return verified.ok() ? "" : verified.status().message();
  }

  JwtSigner rsa_, ec_, ed_;
  IssuerPolicy policy_;
  KeySet keys_;
};

TEST_F(JwtVerifierTest, EachAllowedAlgorithmVerifiesAndKeepsTheClaims) {
  const std::string more = R"(,"jti":"j-1","groups":["payments","/team/sub"],"project_id":"42",)"
                           R"("runner_id":17,"ref_protected":true,"nested":{"a":1})";
  for (const auto& [signer, alg] : {std::pair{&rsa_, "RS256"}, std::pair{&rsa_, "PS256"},
                                    std::pair{&ec_, "ES256"}, std::pair{&ed_, "EdDSA"}}) {
    auto verified = Verify(signer->SignClaims(Claims(more), alg));
    ASSERT_TRUE(verified.ok()) << alg << ": " << verified.status().message();
    EXPECT_EQ(verified->issuer, kIssuer);
    EXPECT_EQ(verified->subject, "alice");
    EXPECT_EQ(verified->audiences, std::vector<std::string>{"leadline"});
    EXPECT_EQ(verified->expires_at, kNow + 300);
    EXPECT_EQ(verified->issued_at, kNow - 10);
    EXPECT_EQ(verified->jwt_id, "j-1");
    EXPECT_EQ(verified->key_id, signer->kid());
    EXPECT_EQ(verified->claims.at("groups"), (std::vector<std::string>{"payments", "/team/sub"}));
    EXPECT_EQ(verified->Claim("project_id"), "42");
    EXPECT_EQ(verified->Claim("runner_id"), "17");
    EXPECT_EQ(verified->Claim("ref_protected"), "true");
    EXPECT_EQ(verified->Claim("groups"), std::nullopt);  // several values
    EXPECT_FALSE(verified->claims.contains("nested"));
  }
}

TEST_F(JwtVerifierTest, NoneAndHmacAreNeverAccepted) {
  const std::string body = common::Base64Url(Claims());
  const std::string none = common::Base64Url(R"({"alg":"none","typ":"JWT"})") + "." + body + ".";
  EXPECT_NE(Refusal(none), "");
  EXPECT_NE(Refusal(common::Base64Url(R"({"alg":"none"})") + "." + body + ".c2ln"), "");
  // Algorithm confusion: an HMAC keyed with the issuer's public key, which anyone has.
  const std::string confused =
      testing::SignHs256(R"({"alg":"HS256","kid":"rsa-1"})", Claims(), rsa_.PublicJwk());
  EXPECT_NE(Refusal(confused).find("algorithm 'HS256' is not allowed"), std::string::npos);
}

TEST_F(JwtVerifierTest, TheIssuersAllowListDecidesTheAlgorithm) {
  policy_.algorithms = {JwtAlgorithm::kES256};
  EXPECT_NE(Refusal(rsa_.SignClaims(Claims(), "RS256")).find("'RS256' is not allowed"),
            std::string::npos);
  EXPECT_EQ(Refusal(ec_.SignClaims(Claims(), "ES256")), "");
}

TEST_F(JwtVerifierTest, AKeyServesOneAlgorithmAndTheHeaderCannotSwitchIt) {
  // Signed with RS256, sent as PS256: the padding differs, the signature fails.
  const std::string switched = rsa_.Sign(R"({"alg":"PS256","kid":"rsa-1"})", Claims(), "RS256");
  EXPECT_NE(Refusal(switched).find("signature does not verify"), std::string::npos);
  // A JWK that names its algorithm serves that one only.
  keys_ = Keys({rsa_.PublicJwk("RS256")});
  EXPECT_EQ(Refusal(rsa_.SignClaims(Claims(), "RS256")), "");
  EXPECT_NE(Refusal(rsa_.SignClaims(Claims(), "PS256")), "");
  // An EC key is no key for an RSA algorithm, even under the right kid.
  EXPECT_NE(Refusal(ec_.Sign(R"({"alg":"RS256","kid":"ec-1"})", Claims(), "ES256")), "");
}

TEST_F(JwtVerifierTest, KeysAreFoundByKidInTheIssuersSetOnly) {
  JwtSigner stranger(TestKeyType::kRsa, "rsa-1");  // the same kid, another key
  EXPECT_NE(Refusal(stranger.SignClaims(Claims(), "RS256")).find("signature does not verify"),
            std::string::npos);
  JwtSigner unknown(TestKeyType::kRsa, "rsa-2");
  auto refused = Verify(unknown.SignClaims(Claims(), "RS256"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), common::StatusCode::kNotFound);  // refetch, then refuse
  // Without a kid: only when one key of the set fits.
  const std::string no_kid = rsa_.Sign(R"({"alg":"RS256"})", Claims(), "RS256");
  EXPECT_EQ(Refusal(no_kid), "");
  keys_ = Keys({rsa_.PublicJwk(), JwtSigner(TestKeyType::kRsa, "rsa-3").PublicJwk()});
  EXPECT_NE(Refusal(no_kid).find("names no key"), std::string::npos);
}

TEST_F(JwtVerifierTest, IssuerAndAudienceMustBeOurs) {
  EXPECT_NE(
      Refusal(ec_.SignClaims(R"({"iss":"https://idp.example/","aud":"leadline","exp":1800000300})",
                             "ES256"))
          .find("'iss'"),
      std::string::npos);
  EXPECT_NE(Refusal(ec_.SignClaims(R"({"iss":"https://idp.example","exp":1800000300})", "ES256"))
                .find("'aud'"),
            std::string::npos);
  EXPECT_NE(Refusal(ec_.SignClaims(
                R"({"iss":"https://idp.example","aud":"other","exp":1800000300})", "ES256")),
            "");
  EXPECT_EQ(
      Refusal(ec_.SignClaims(
          R"({"iss":"https://idp.example","aud":["other","leadline"],"exp":1800000300})", "ES256")),
      "");
}

TEST_F(JwtVerifierTest, TimesHoldWithAtMostAMinuteOfLeeway) {
  EXPECT_NE(Refusal(ed_.SignClaims(R"({"iss":"https://idp.example","aud":"leadline"})", "EdDSA"))
                .find("no 'exp'"),
            std::string::npos);
  EXPECT_EQ(Refusal(ed_.SignClaims(Claims("", kNow - 30), "EdDSA")), "");  // within the leeway
  EXPECT_NE(Refusal(ed_.SignClaims(Claims("", kNow - 61), "EdDSA")).find("expired"),
            std::string::npos);
  policy_.leeway = 3600;  // asked for more: still a minute
  EXPECT_NE(Refusal(ed_.SignClaims(Claims("", kNow - 120), "EdDSA")), "");
  policy_.leeway = 0;
  EXPECT_NE(Refusal(ed_.SignClaims(Claims("", kNow), "EdDSA")), "");
  policy_.leeway = 60;
  EXPECT_NE(Refusal(ed_.SignClaims(Claims(",\"nbf\":" + std::to_string(kNow + 120)), "EdDSA"))
                .find("'nbf'"),
            std::string::npos);
  const std::string future_iat = R"({"iss":"https://idp.example","aud":"leadline","exp":)" +
                                 std::to_string(kNow + 900) + R"(,"iat":)" +
                                 std::to_string(kNow + 300) + "}";
  EXPECT_NE(Refusal(ed_.SignClaims(future_iat, "EdDSA")).find("'iat'"), std::string::npos);
  EXPECT_NE(Refusal(ed_.SignClaims(R"({"iss":"https://idp.example","aud":"leadline","exp":"soon"})",
                                   "EdDSA")),
            "");
}

TEST_F(JwtVerifierTest, MalformedOrTamperedTokensAreRefused) {
  const std::string good = rsa_.SignClaims(Claims(), "RS256");
  ASSERT_EQ(Refusal(good), "");
  // Claims changed after signing.
  const std::size_t dot = good.find('.');
  const std::string tampered = good.substr(0, dot + 1) +
                               common::Base64Url(Claims(R"(,"groups":["admins"])")) +
                               good.substr(good.rfind('.'));
  EXPECT_NE(Refusal(tampered).find("signature does not verify"), std::string::npos);
  EXPECT_NE(Refusal(good.substr(0, good.rfind('.'))), "");  // two parts
  EXPECT_NE(Refusal(good + ".x"), "");                      // four parts
  EXPECT_NE(Refusal(good + "="), "");                       // not base64url
  policy_.max_token_bytes = good.size() - 1;
  EXPECT_NE(Refusal(good).find("larger than"), std::string::npos);
  policy_.max_token_bytes = 16 * 1024;
  // Two "alg"s, or an extension the verifier would have to understand.
  EXPECT_NE(Refusal(rsa_.Sign(R"({"alg":"HS256","alg":"RS256","kid":"rsa-1"})", Claims(), "RS256"))
                .find("distinct member names"),
            std::string::npos);
  EXPECT_NE(Refusal(rsa_.Sign(R"({"alg":"RS256","kid":"rsa-1","crit":["exp"]})", Claims(), "RS256"))
                .find("crit"),
            std::string::npos);
  // An ES256 signature must be r || s (64 bytes), not DER.
  const std::string es = ec_.SignClaims(Claims(), "ES256");
  EXPECT_EQ(Refusal(es), "");
  EXPECT_NE(Refusal(es + "AA").find("signature does not verify"), std::string::npos);
}

TEST(KeySetTest, KeysAVerifierMustNotUseAreLeftOutWithTheReason) {
  const std::string small_modulus = common::Base64Url(std::string(128, '\xc1'));
  const std::string coordinate = common::Base64Url(std::string(32, '\x01'));
  const std::string jwks = KeySetJson(
      {R"({"kid":"small","kty":"RSA","n":")" + small_modulus + R"(","e":"AQAB"})",
       R"({"kid":"p384","kty":"EC","crv":"P-384","x":")" + coordinate + R"(","y":")" + coordinate +
           R"("})",
       R"({"kid":"off-curve","kty":"EC","crv":"P-256","x":")" + coordinate + R"(","y":")" +
           coordinate + R"("})",
       R"({"kid":"enc","use":"enc","kty":"OKP","crv":"Ed25519","x":")" + coordinate + R"("})",
       R"({"kid":"hmac","kty":"oct","k":"c2VjcmV0"})",
       R"({"kid":"hs","alg":"HS256","kty":"RSA","n":"AQAB","e":"AQAB"})",
       JwtSigner(TestKeyType::kEd25519, "good").PublicJwk("EdDSA")});
  auto set = ParseKeySet(jwks);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->keys.size(), 1u);
  EXPECT_EQ(set->keys.front().kid, "good");
  ASSERT_EQ(set->skipped.size(), 6u);
  EXPECT_EQ(set->skipped[0], "kid 'small': an RSA key under 2048 bits");
  EXPECT_EQ(set->skipped[1], "kid 'p384': not on curve P-256");
  EXPECT_NE(set->skipped[2].find("kid 'off-curve'"), std::string::npos);
  EXPECT_EQ(set->skipped[3], "kid 'enc': not for signatures ('use')");
  EXPECT_NE(set->skipped[4].find("'kty'"), std::string::npos);
  EXPECT_EQ(set->skipped[5], "kid 'hs': an 'alg' Leadline does not accept");
  EXPECT_FALSE(ParseKeySet(R"({"keys": {}})").ok());
  EXPECT_FALSE(ParseKeySet("not json").ok());
}

}  // namespace
}  // namespace leadline::auth
