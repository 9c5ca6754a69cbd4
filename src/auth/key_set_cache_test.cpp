#include "auth/key_set_cache.h"

#include <gtest/gtest.h>

#include "testing/jwt_signer.h"

namespace leadline::auth {
namespace {

using testing::JwtSigner;
using testing::KeySetJson;
using testing::TestKeyType;

constexpr common::UnixSeconds kNow = 1'800'000'000;

// An issuer whose key set the test changes, counting the fetches.
struct Issuer {
  Issuer() = default;
  Issuer(std::string b, std::string cc) : body(std::move(b)), cache_control(std::move(cc)) {}
  std::string body;
  std::string cache_control;
  int status = 200;
  bool reachable = true;
  int fetches = 0;
  std::string fetched_url;

  KeySetFetch Fetch() {
    return [this](const std::string& url) -> common::Result<FetchedKeySet> {
      ++fetches;
      fetched_url = url;
      if (!reachable) return common::Status::Unavailable("connection refused");
      return FetchedKeySet{status, body, cache_control};
    };
  }
};

IssuerPolicy Policy() {
  IssuerPolicy policy;
  policy.issuer = "https://ci.example";
  policy.audiences = {"leadline"};
  policy.algorithms = {JwtAlgorithm::kRS256};
  return policy;
}

std::string Claims(const std::string& jti) {
  return R"({"iss":"https://ci.example","aud":"leadline","sub":"job","exp":)" +
         std::to_string(kNow + 600) + R"(,"iat":)" + std::to_string(kNow) +
         (jti.empty() ? std::string() : R"(,"jti":")" + jti + "\"") + "}";
}

TEST(KeySetCacheTest, LifetimeFollowsCacheControlWithinAMinuteAndADay) {
  EXPECT_EQ(KeySetCache::Lifetime(""), 3600);
  EXPECT_EQ(KeySetCache::Lifetime("public, max-age=7200"), 7200);
  EXPECT_EQ(KeySetCache::Lifetime("max-age=5"), 60);
  EXPECT_EQ(KeySetCache::Lifetime("no-cache"), 3600);
  EXPECT_EQ(KeySetCache::Lifetime("Max-Age=99999999999999999999"), 24 * 3600);
  EXPECT_EQ(KeySetCache::Lifetime("max-age=abc"), 3600);
}

TEST(KeySetCacheTest, FetchesOnceFromTheConfiguredUrlAndAgainWhenStale) {
  JwtSigner key(TestKeyType::kRsa, "k1");
  Issuer issuer{KeySetJson({key.PublicJwk()}), "max-age=300"};
  KeySetCache cache("https://ci.example/keys", issuer.Fetch());
  const std::string token = key.SignClaims(Claims("a"), "RS256");
  EXPECT_TRUE(VerifyWithKeySet(token, Policy(), cache, kNow).ok());
  EXPECT_TRUE(VerifyWithKeySet(token, Policy(), cache, kNow + 299).ok());
  EXPECT_EQ(issuer.fetches, 1);
  EXPECT_EQ(issuer.fetched_url, "https://ci.example/keys");
  EXPECT_TRUE(VerifyWithKeySet(token, Policy(), cache, kNow + 300).ok());
  EXPECT_EQ(issuer.fetches, 2);
}

TEST(KeySetCacheTest, AnUnknownKidRefetchesAtMostOnceAMinute) {
  JwtSigner old_key(TestKeyType::kRsa, "old");
  JwtSigner new_key(TestKeyType::kRsa, "new");
  Issuer issuer{KeySetJson({old_key.PublicJwk()}), "max-age=86400"};
  KeySetCache cache("https://ci.example/keys", issuer.Fetch());
  ASSERT_TRUE(cache.Current(kNow).ok());
  // The issuer rotates; a token with the new kid makes the cache read the set again.
  issuer.body = KeySetJson({old_key.PublicJwk(), new_key.PublicJwk()});
  const std::string rotated = new_key.SignClaims(Claims("b"), "RS256");
  EXPECT_TRUE(VerifyWithKeySet(rotated, Policy(), cache, kNow + 61).ok());
  EXPECT_EQ(issuer.fetches, 2);
  // A flood of unknown kids asks the issuer once a minute, not once a token.
  JwtSigner stranger(TestKeyType::kRsa, "stranger");
  for (int i = 0; i < 50; ++i) {
    auto refused =
        VerifyWithKeySet(stranger.SignClaims(Claims("c"), "RS256"), Policy(), cache, kNow + 62 + i);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), common::StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(issuer.fetches, 2);
  EXPECT_FALSE(
      VerifyWithKeySet(stranger.SignClaims(Claims("c"), "RS256"), Policy(), cache, kNow + 130)
          .ok());
  EXPECT_EQ(issuer.fetches, 3);
}

TEST(KeySetCacheTest, TheLastGoodSetServesWhileTheIssuerIsUnreachable) {
  JwtSigner key(TestKeyType::kRsa, "k1");
  Issuer issuer{KeySetJson({key.PublicJwk()}), "max-age=60"};
  KeySetCache cache("https://ci.example/keys", issuer.Fetch());
  const std::string token = key.SignClaims(Claims("d"), "RS256");
  ASSERT_TRUE(VerifyWithKeySet(token, Policy(), cache, kNow).ok());
  issuer.reachable = false;
  EXPECT_TRUE(VerifyWithKeySet(token, Policy(), cache, kNow + 120).ok());
  issuer.reachable = true;
  issuer.status = 500;
  EXPECT_TRUE(VerifyWithKeySet(token, Policy(), cache, kNow + 240).ok());
  issuer.status = 200;
  issuer.body = "{\"keys\": []}";  // nothing usable: not taken
  EXPECT_TRUE(VerifyWithKeySet(token, Policy(), cache, kNow + 360).ok());
  EXPECT_EQ(issuer.fetches, 4);
  // Without any good set, verification says the issuer cannot be read.
  Issuer down;
  down.reachable = false;
  KeySetCache empty("https://down.example/keys", down.Fetch());
  auto refused = VerifyWithKeySet(token, Policy(), empty, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), common::StatusCode::kUnavailable);
  EXPECT_NE(refused.status().message().find("https://down.example/keys"), std::string::npos);
}

}  // namespace
}  // namespace leadline::auth
