#include "auth/api_tokens.h"

#include <gtest/gtest.h>

namespace leadline::auth {
namespace {

constexpr common::UnixSeconds kNow = 1700000000;

TEST(ApiTokensTest, MintedSecretsAreRandomAndOnlyTheirHashIsKept) {
  auto a = MintToken("ci-bot", {"read", "write:events"}, {"payments"}, {"payments"},
                     30 * common::kDay, kNow);
  auto b = MintToken("ci-bot", {"read"}, {}, {}, std::nullopt, kNow);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->secret.substr(0, 4), "llt_");
  EXPECT_EQ(a->secret.size(), 4u + 43u);
  EXPECT_NE(a->secret, b->secret);
  EXPECT_EQ(a->token.secret_hash, HashSecret(a->secret));
  EXPECT_EQ(a->token.secret_hash.find(a->secret), std::string::npos);
  EXPECT_EQ(a->token.expires_at, kNow + 30 * common::kDay);
  EXPECT_FALSE(b->token.expires_at.has_value());
  // SHA-256 of "abc".
  EXPECT_EQ(HashSecret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ApiTokensTest, MintingChecksNameScopesProjectsAndExpiry) {
  EXPECT_FALSE(MintToken("", {"read"}, {}, {}, std::nullopt, kNow).ok());
  EXPECT_FALSE(MintToken("x", {}, {}, {}, std::nullopt, kNow).ok());
  EXPECT_EQ(MintToken("x", {"write"}, {}, {}, std::nullopt, kNow).status().message(),
            "unknown scope 'write' (known: read, write:events, bi:refresh, admin)");
  EXPECT_EQ(MintToken("x", {"read"}, {"search"}, {"payments"}, std::nullopt, kNow).status().code(),
            common::StatusCode::kNotFound);
  EXPECT_FALSE(MintToken("x", {"read"}, {}, {}, 0, kNow).ok());
}

class AuthenticateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    projects_ = {{1, "payments", {10, 11}}, {2, "search", {20}}};
    scoped_ = *MintToken("ci-bot", {"write:events"}, {"payments"}, {"payments", "search"},
                         common::kDay, kNow);
    scoped_.token.id = 5;
    everything_ = *MintToken("ops", {"admin"}, {}, {}, std::nullopt, kNow);
    tokens_ = {scoped_.token, everything_.token};
  }
  common::Result<Principal> As(const std::string& header, common::UnixSeconds at = kNow) {
    return Authenticate(header, tokens_, projects_, at);
  }

  std::vector<model::Project> projects_;
  MintedToken scoped_, everything_;
  std::vector<model::ApiToken> tokens_;
};

TEST_F(AuthenticateTest, AProjectTokenSeesOnlyItsProjectsRepositories) {
  auto principal = As("Bearer " + scoped_.secret);
  ASSERT_TRUE(principal.ok()) << principal.status().message();
  EXPECT_EQ(principal->token_name, "ci-bot");
  EXPECT_EQ(principal->token_id, 5);
  EXPECT_TRUE(principal->MaySee(10));
  EXPECT_TRUE(principal->MaySee(11));
  EXPECT_FALSE(principal->MaySee(20));
  EXPECT_TRUE(principal->Has("write:events"));
  EXPECT_FALSE(principal->Has("read"));
  auto admin = As("Bearer " + everything_.secret);
  ASSERT_TRUE(admin.ok());
  EXPECT_TRUE(admin->MaySee(20));
  EXPECT_TRUE(admin->Has("read"));  // admin implies every scope
}

TEST_F(AuthenticateTest, MissingUnknownRevokedOrExpiredTokensAreRefused) {
  for (const std::string& header :
       std::vector<std::string>{"", "Basic abc", "Bearer llt_nope", "bearer " + scoped_.secret}) {
    const auto refused = As(header);
    ASSERT_FALSE(refused.ok()) << header;
    EXPECT_EQ(refused.status().code(), common::StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(As("Bearer " + scoped_.secret, kNow + common::kDay).status().message(),
            "the API token 'ci-bot' has expired");
  tokens_[0].revoked_at = kNow;
  const auto revoked = As("Bearer " + scoped_.secret);
  EXPECT_EQ(revoked.status().message(), "the API token 'ci-bot' was revoked");
  EXPECT_EQ(revoked.status().message().find(scoped_.secret), std::string::npos);
}

TEST_F(AuthenticateTest, RefusalsSayWhyInAWord) {
  const auto why = [&](const std::string& header, common::UnixSeconds at = kNow) {
    std::string refusal;
    EXPECT_FALSE(Authenticate(header, tokens_, projects_, at, &refusal).ok()) << header;
    return refusal;
  };
  EXPECT_EQ(why(""), "no_token");
  EXPECT_EQ(why("Basic abc"), "no_token");
  EXPECT_EQ(why("Bearer llt_nope"), "bad_token");
  EXPECT_EQ(why("Bearer " + scoped_.secret, kNow + common::kDay), "expired_token");
  tokens_[0].revoked_at = kNow;
  EXPECT_EQ(why("Bearer " + scoped_.secret), "revoked_token");
  std::string refusal = "untouched";
  EXPECT_TRUE(
      Authenticate("Bearer " + everything_.secret, tokens_, projects_, kNow, &refusal).ok());
  EXPECT_EQ(refusal, "untouched");  // only a refusal says why
}

}  // namespace
}  // namespace leadline::auth
