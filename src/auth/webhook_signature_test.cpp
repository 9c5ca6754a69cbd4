#include "auth/webhook_signature.h"

#include <gtest/gtest.h>

namespace leadline::auth {
namespace {

TEST(WebhookSignatureTest, MatchesTheRfc4231TestVector) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(SignHubSignature("what do ya want for nothing?", "Jefe"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookSignatureTest, AcceptsOnlyTheRightSignatureOfTheSameBody) {
  const std::string body = R"({"repository": {"full_name": "acme/api"}})";
  const std::string signature = SignHubSignature(body, "s3cr3t");
  EXPECT_TRUE(VerifyHubSignature(signature, body, "s3cr3t"));
  EXPECT_FALSE(VerifyHubSignature(signature, body + " ", "s3cr3t"));
  EXPECT_FALSE(VerifyHubSignature(signature, body, "other"));
  EXPECT_FALSE(VerifyHubSignature(signature, body, ""));
  EXPECT_FALSE(VerifyHubSignature("", body, "s3cr3t"));
  EXPECT_FALSE(VerifyHubSignature("sha1=" + signature.substr(7), body, "s3cr3t"));
  EXPECT_FALSE(VerifyHubSignature(signature.substr(0, 20), body, "s3cr3t"));
  EXPECT_FALSE(VerifyHubSignature("sha256=" + std::string(64, 'z'), body, "s3cr3t"));
  // Upper-case hex is the same signature.
  std::string upper = signature;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(VerifyHubSignature("sha256=" + upper.substr(7), body, "s3cr3t"));
}

TEST(WebhookSignatureTest, NewSecretsAreRandomHex) {
  const std::string a = NewWebhookSecret();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, NewWebhookSecret());
}

}  // namespace
}  // namespace leadline::auth
