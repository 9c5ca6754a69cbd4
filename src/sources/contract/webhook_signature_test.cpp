#include "sources/contract/webhook_signature.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace leadline::sources {
namespace {

TEST(WebhookSignatureTest, MatchesTheRfc4231TestVector) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(SignHubSignature("what do ya want for nothing?", "Jefe"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookSignatureTest, MatchesLibsodiumsHmacAtEveryLengthAroundABlock) {
  // A second implementation as the reference: bodies across SHA-256's 64-byte blocks and an
  // 11 KB delivery; keys empty, short, and longer than a block (hashed first).
  ASSERT_GE(sodium_init(), 0);
  std::string long_body;
  for (int i = 0; long_body.size() < 11'017; ++i) long_body += std::to_string(i * 7919) + ",";
  for (const std::string& key : {std::string(), std::string("k"), std::string(100, 'K')}) {
    for (const std::size_t size : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 128u, 11'017u}) {
      const std::string body = long_body.substr(0, size);
      unsigned char mac[crypto_auth_hmacsha256_BYTES];
      crypto_auth_hmacsha256_state state;
      crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                                  key.size());
      crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                    body.size());
      crypto_auth_hmacsha256_final(&state, mac);
      char hex[sizeof(mac) * 2 + 1];
      sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
      EXPECT_EQ(SignHubSignature(body, key), std::string("sha256=") + hex)
          << "key of " << key.size() << " bytes, body of " << size;
    }
  }
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

TEST(WebhookSignatureTest, SecretsCompareWhateverTheirLengths) {
  EXPECT_TRUE(SecretsEqual("s3cr3t", "s3cr3t"));
  EXPECT_FALSE(SecretsEqual("s3cr3", "s3cr3t"));
  EXPECT_FALSE(SecretsEqual("s3cr3t-and-more", "s3cr3t"));
  EXPECT_FALSE(SecretsEqual("S3CR3T", "s3cr3t"));
  EXPECT_FALSE(SecretsEqual("", ""));  // no secret set matches nothing
  EXPECT_FALSE(SecretsEqual("x", ""));
}

// The example of the Standard Webhooks specification (and Svix's documentation).
constexpr char kSpecSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr char kSpecId[] = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr char kSpecBody[] = R"({"test": 2432232314})";
constexpr common::UnixSeconds kSpecTime = 1614265330;

TEST(WebhookSignatureTest, StandardWebhooksMatchTheSpecificationsExample) {
  EXPECT_EQ(SignStandardWebhook(kSpecId, "1614265330", kSpecBody, kSpecSecret),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  EXPECT_EQ(VerifyStandardWebhook(kSpecId, "1614265330",
                                  "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", kSpecBody,
                                  kSpecSecret, kSpecTime),
            StandardSignature::kValid);
}

TEST(WebhookSignatureTest, StandardWebhooksRefuseChangesOldTimestampsAndMalformedHeaders) {
  const std::string good = SignStandardWebhook(kSpecId, "1614265330", kSpecBody, kSpecSecret);
  const auto verify = [&](std::string_view id, std::string_view timestamp,
                          std::string_view signatures, std::string_view body,
                          common::UnixSeconds now = kSpecTime) {
    return VerifyStandardWebhook(id, timestamp, signatures, body, kSpecSecret, now);
  };
  // Several signatures while a secret rotates: any one that matches will do.
  EXPECT_EQ(verify(kSpecId, "1614265330", "v1,bm9wZQ== " + good, kSpecBody),
            StandardSignature::kValid);
  EXPECT_EQ(verify(kSpecId, "1614265330", good, std::string(kSpecBody) + " "),
            StandardSignature::kMismatch);
  EXPECT_EQ(verify("msg_other", "1614265330", good, kSpecBody), StandardSignature::kMismatch);
  EXPECT_EQ(
      VerifyStandardWebhook(kSpecId, "1614265330", good, kSpecBody, "whsec_b3RoZXI=", kSpecTime),
      StandardSignature::kMismatch);
  // Within five minutes either way, not beyond: an old delivery replayed is refused.
  EXPECT_EQ(verify(kSpecId, "1614265330", good, kSpecBody, kSpecTime + 300),
            StandardSignature::kValid);
  EXPECT_EQ(verify(kSpecId, "1614265330", good, kSpecBody, kSpecTime + 301),
            StandardSignature::kOutOfWindow);
  EXPECT_EQ(verify(kSpecId, "1614265330", good, kSpecBody, kSpecTime - 301),
            StandardSignature::kOutOfWindow);
  EXPECT_EQ(verify(kSpecId, "16142653x0", good, kSpecBody), StandardSignature::kMalformed);
  EXPECT_EQ(verify(kSpecId, "", good, kSpecBody), StandardSignature::kMalformed);
  EXPECT_EQ(verify("", "1614265330", good, kSpecBody), StandardSignature::kMalformed);
  EXPECT_EQ(verify(kSpecId, "1614265330", "v2," + good.substr(3), kSpecBody),
            StandardSignature::kMalformed);
  EXPECT_EQ(verify(kSpecId, "1614265330", "v1,not base64!", kSpecBody),
            StandardSignature::kMismatch);
  // A secret without the whsec_ prefix is used as it is.
  const std::string plain = SignStandardWebhook("id-1", "1614265330", "{}", "s3cr3t");
  EXPECT_EQ(VerifyStandardWebhook("id-1", "1614265330", plain, "{}", "s3cr3t", kSpecTime),
            StandardSignature::kValid);
}

TEST(WebhookSignatureTest, PagerDutySignaturesMatchKnownVectorsAndRotation) {
  // Vectors computed apart from this code: printf '%s' BODY | openssl dgst -sha256 -hmac KEY.
  const std::string body =
      R"({"event":{"id":"01ABC","event_type":"incident.resolved","resource_type":"incident"}})";
  const std::string current = "v1=acef70f411bcbae44a587d13b1dcf9213920369e4d452587e959b4e838f603f1";
  const std::string old = "v1=9535c4c9a09ff84552351f41f7bb92438ae00e0aee91e7455d61b9dcc3de8c10";
  EXPECT_EQ(SignPagerDutyWebhook(body, "pd-webhook-secret"), current);
  EXPECT_EQ(VerifyPagerDutySignature(current, body, "pd-webhook-secret"),
            PagerDutySignature::kValid);
  // While a secret rotates PagerDuty sends both signatures; either secret's one is enough.
  EXPECT_EQ(VerifyPagerDutySignature(old + "," + current, body, "pd-webhook-secret"),
            PagerDutySignature::kValid);
  EXPECT_EQ(VerifyPagerDutySignature(old + ", " + current, body, "old-secret"),
            PagerDutySignature::kValid);
  // The wrong secret, a body changed by one byte, an empty secret.
  EXPECT_EQ(VerifyPagerDutySignature(current, body, "other-secret"), PagerDutySignature::kMismatch);
  std::string changed = body;
  changed[changed.size() - 3] = 'X';
  EXPECT_EQ(VerifyPagerDutySignature(current, changed, "pd-webhook-secret"),
            PagerDutySignature::kMismatch);
  EXPECT_EQ(VerifyPagerDutySignature(SignPagerDutyWebhook(body, ""), body, ""),
            PagerDutySignature::kMismatch);
  // No v1 entry at all, or entries that are not hex of the right length.
  EXPECT_EQ(VerifyPagerDutySignature("", body, "pd-webhook-secret"),
            PagerDutySignature::kMalformed);
  EXPECT_EQ(VerifyPagerDutySignature("sha256=" + current.substr(3), body, "pd-webhook-secret"),
            PagerDutySignature::kMalformed);
  EXPECT_EQ(VerifyPagerDutySignature("v1=zz,v1=" + std::string(64, '0'), body, "pd-webhook-secret"),
            PagerDutySignature::kMismatch);
}

}  // namespace
}  // namespace leadline::sources
