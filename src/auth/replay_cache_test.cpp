#include "auth/replay_cache.h"

#include <gtest/gtest.h>

#include "testing/jwt_signer.h"

namespace leadline::auth {
namespace {

using testing::JwtSigner;
using testing::KeySetJson;
using testing::TestKeyType;

constexpr common::UnixSeconds kNow = 1'800'000'000;

IssuerPolicy Policy() {
  IssuerPolicy policy;
  policy.issuer = "https://ci.example";
  policy.audiences = {"leadline"};
  policy.algorithms = {JwtAlgorithm::kRS256};
  return policy;
}

std::string Claims(const std::string& jti) {
  return R"({"iss":"https://ci.example","aud":"leadline","sub":"job","exp":)" +
         std::to_string(kNow + 600) + R"(,"iat":)" + std::to_string(kNow) + R"(,"jti":")" + jti +
         "\"}";
}

TEST(ReplayCacheTest, ATokenIsUsedOnceUntilItExpires) {
  JwtSigner key(TestKeyType::kRsa, "k1");
  KeySet set = *ParseKeySet(KeySetJson({key.PublicJwk()}));
  const VerifiedToken with_jti =
      *VerifyJwt(key.SignClaims(Claims("j-1"), "RS256"), Policy(), set, kNow);
  ReplayCache cache(2);
  EXPECT_EQ(cache.Remember(ReplayKeyOf(with_jti), with_jti.expires_at, kNow),
            ReplayCache::Outcome::kFirstUse);
  EXPECT_EQ(cache.Remember(ReplayKeyOf(with_jti), with_jti.expires_at, kNow + 10),
            ReplayCache::Outcome::kReplayed);
  // Without a jti: the step and the time it was issued.
  const std::string step_claims = R"({"iss":"https://ci.example","aud":"leadline","exp":)" +
                                  std::to_string(kNow + 600) + R"(,"iat":)" + std::to_string(kNow) +
                                  R"(,"stepUuid":"{s-1}"})";
  const VerifiedToken step = *VerifyJwt(key.SignClaims(step_claims, "RS256"), Policy(), set, kNow);
  EXPECT_EQ(ReplayKeyOf(step), "https://ci.example\nstep\n{s-1}\n1800000000");
  EXPECT_EQ(cache.Remember(ReplayKeyOf(step), step.expires_at, kNow),
            ReplayCache::Outcome::kFirstUse);
  // Full: a third token is refused rather than an unexpired one forgotten.
  EXPECT_EQ(cache.Remember("other", kNow + 600, kNow), ReplayCache::Outcome::kFull);
  // Past expiry and the leeway, entries are forgotten and room comes back.
  EXPECT_EQ(cache.Remember("other", kNow + 1200, kNow + 661), ReplayCache::Outcome::kFirstUse);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(ReplayCacheTest, ATokenWhoseCallFailedMayBeSentAgain) {
  ReplayCache cache(10);
  EXPECT_EQ(cache.Remember("a", kNow + 600, kNow), ReplayCache::Outcome::kFirstUse);
  EXPECT_EQ(cache.Remember("b", kNow + 600, kNow), ReplayCache::Outcome::kFirstUse);
  cache.Forget("a");
  cache.Forget("unknown");
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Remember("a", kNow + 600, kNow + 5), ReplayCache::Outcome::kFirstUse);
  EXPECT_EQ(cache.Remember("b", kNow + 600, kNow + 5), ReplayCache::Outcome::kReplayed);
  // Expiry still forgets what Forget left.
  EXPECT_EQ(cache.Remember("c", kNow + 1200, kNow + 661), ReplayCache::Outcome::kFirstUse);
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
}  // namespace leadline::auth
