#include "sources/gitlab/webhook.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sources/contract/webhook_signature.h"

namespace leadline::sources::gitlab {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
constexpr common::UnixSeconds kNow = 1767225600;  // 2026-01-01T00:00:00Z
constexpr char kBody[] =
    R"({"object_kind":"merge_request","project":{"id":15,"path_with_namespace":"grp/proj"},)"
    R"("object_attributes":{"iid":7,"action":"merge"}})";

HookHeaders Token(const std::string& token) {
  HookHeaders headers;
  headers.event = "Merge Request Hook";
  headers.token = token;
  return headers;
}

HookHeaders Signed(const std::string& body, common::UnixSeconds sent_at,
                   const std::string& secret = kSecret) {
  HookHeaders headers = Token(kSecret);
  headers.signature_id = "4f1c3a52-9e2b-4c1d-8a7e-0b6d5c4e3f21";
  headers.signature_timestamp = std::to_string(sent_at);
  headers.signature =
      SignStandardWebhook(headers.signature_id, headers.signature_timestamp, body, secret);
  return headers;
}

TEST(GitLabWebhookTest, TheRightTokenPassesAWrongOrMissingOneDoesNot) {
  EXPECT_EQ(CheckHook(Token(kSecret), kBody, kSecret, kNow), HookCheck::kOk);
  EXPECT_EQ(CheckHook(Token(""), kBody, kSecret, kNow), HookCheck::kNoToken);
  EXPECT_EQ(CheckHook(Token("wrong"), kBody, kSecret, kNow), HookCheck::kWrongToken);
  // A prefix, or the secret with more after it, is wrong too.
  EXPECT_EQ(CheckHook(Token(std::string(kSecret).substr(0, 63)), kBody, kSecret, kNow),
            HookCheck::kWrongToken);
  EXPECT_EQ(CheckHook(Token(std::string(kSecret) + "0"), kBody, kSecret, kNow),
            HookCheck::kWrongToken);
  // A connection without a secret accepts no token at all.
  EXPECT_EQ(CheckHook(Token("anything"), kBody, "", kNow), HookCheck::kWrongToken);
}

TEST(GitLabWebhookTest, AStandardWebhooksSignatureIsCheckedWhenPresent) {
  EXPECT_EQ(CheckHook(Signed(kBody, kNow - 60), kBody, kSecret, kNow), HookCheck::kOk);
  // Signed under another key, or over another body.
  EXPECT_EQ(CheckHook(Signed(kBody, kNow, "other"), kBody, kSecret, kNow),
            HookCheck::kBadSignature);
  EXPECT_EQ(CheckHook(Signed(kBody, kNow), std::string(kBody) + " ", kSecret, kNow),
            HookCheck::kBadSignature);
  // An old delivery replayed, even with a good signature and token.
  EXPECT_EQ(CheckHook(Signed(kBody, kNow - 301), kBody, kSecret, kNow), HookCheck::kStaleSignature);
  EXPECT_EQ(CheckHook(Signed(kBody, kNow + 301), kBody, kSecret, kNow), HookCheck::kStaleSignature);
  // Part of the set is no signature.
  HookHeaders partial = Signed(kBody, kNow);
  partial.signature.clear();
  EXPECT_EQ(CheckHook(partial, kBody, kSecret, kNow), HookCheck::kBadSignature);
  // The token is checked first: a good signature does not make up for it.
  HookHeaders no_token = Signed(kBody, kNow);
  no_token.token.clear();
  EXPECT_EQ(CheckHook(no_token, kBody, kSecret, kNow), HookCheck::kNoToken);
}

TEST(GitLabWebhookTest, TheDeliveryKeyIsTheIdempotencyKeyThenTheRequestsOwnId) {
  HookHeaders headers = Token(kSecret);
  headers.webhook_uuid = "request-uuid";
  EXPECT_EQ(DeliveryKey(headers), "request-uuid");
  headers.signature_id = "webhook-id";
  EXPECT_EQ(DeliveryKey(headers), "webhook-id");
  headers.idempotency_key = "idempotency-key";
  EXPECT_EQ(DeliveryKey(headers), "idempotency-key");
  EXPECT_EQ(DeliveryKey(HookHeaders{}), "");
}

TEST(GitLabWebhookTest, HeadersAreReadByTheirLowercasedNames) {
  const std::map<std::string, std::string> map = {
      {"x-gitlab-event", "Push Hook"}, {"x-gitlab-token", "t"},           {"idempotency-key", "k"},
      {"x-gitlab-webhook-uuid", "u"},  {"x-gitlab-event-uuid", "shared"}, {"webhook-id", "i"},
      {"webhook-timestamp", "1"},      {"webhook-signature", "v1,x"}};
  const HookHeaders headers = ReadHookHeaders(WebhookRequest{map, "", kNow});
  EXPECT_EQ(headers.event, "Push Hook");
  EXPECT_EQ(headers.token, "t");
  EXPECT_EQ(headers.idempotency_key, "k");
  EXPECT_EQ(headers.webhook_uuid, "u");
  EXPECT_EQ(headers.signature_id, "i");
  EXPECT_EQ(headers.signature_timestamp, "1");
  EXPECT_EQ(headers.signature, "v1,x");
}

TEST(GitLabWebhookTest, TheEventsLeadlineUses) {
  for (const char* used : {"Push Hook", "Tag Push Hook", "Merge Request Hook", "Note Hook",
                           "Pipeline Hook", "Deployment Hook"}) {
    EXPECT_TRUE(IsUsedHookEvent(used)) << used;
  }
  for (const char* unused :
       {"Job Hook", "Issue Hook", "Release Hook", "System Hook", "merge_request", ""}) {
    EXPECT_FALSE(IsUsedHookEvent(unused)) << unused;
  }
}

TEST(GitLabWebhookTest, PayloadsNameTheirProjectByPath) {
  HookPayload payload = ReadHookPayload("Merge Request Hook", kBody);
  EXPECT_TRUE(payload.is_json);
  EXPECT_TRUE(payload.has_shape);
  EXPECT_EQ(payload.project, "grp/proj");
  // A push names it the same way, subgroups and all.
  payload = ReadHookPayload("Push Hook",
                            R"({"object_kind":"push","project":{"path_with_namespace":"a/b/c"}})");
  EXPECT_EQ(payload.project, "a/b/c");

  payload = ReadHookPayload("Pipeline Hook", R"({"object_kind":"pipeline","project":{"id":15}})");
  EXPECT_TRUE(payload.is_json);
  EXPECT_FALSE(payload.has_shape);  // a used event must name its project
  payload = ReadHookPayload("Job Hook", R"({"object_kind":"build"})");
  EXPECT_TRUE(payload.has_shape);  // events Leadline does not use need only be an object
  EXPECT_EQ(payload.project, "");
  EXPECT_FALSE(ReadHookPayload("Push Hook", "[1]").has_shape);
  EXPECT_FALSE(ReadHookPayload("Push Hook", R"({"project":{"path_with_namespace":7}})").has_shape);
  EXPECT_FALSE(ReadHookPayload("Push Hook", "{not json").is_json);
}

TEST(GitLabWebhookTest, TheDecoderRefusesWhatTheRouteMustNotStore) {
  const GitLabWebhookDecoder decoder;
  std::map<std::string, std::string> headers = {{"x-gitlab-event", "Merge Request Hook"},
                                                {"x-gitlab-token", kSecret},
                                                {"idempotency-key", "key-1"},
                                                {"x-gitlab-webhook-uuid", "uuid-1"},
                                                {"x-gitlab-event-uuid", "event-1"}};
  const WebhookRequest request{headers, kBody, kNow};
  EXPECT_FALSE(decoder.Verify(request, kSecret).has_value());
  DecodedDelivery delivery;
  EXPECT_FALSE(decoder.Decode(request, delivery).has_value());
  EXPECT_EQ(delivery.delivery_id, "key-1");
  EXPECT_EQ(delivery.event_key, "Merge Request Hook");
  EXPECT_EQ(delivery.repository, "grp/proj");
  EXPECT_EQ(delivery.attempt, 1);

  const auto refusal = decoder.Verify(request, "another secret");
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 401);
  EXPECT_EQ(refusal->reason, "bad_signature");
  headers.erase("x-gitlab-token");
  EXPECT_EQ(decoder.Verify(WebhookRequest{headers, kBody, kNow}, kSecret)->reason, "unsigned");

  headers.erase("idempotency-key");
  headers.erase("x-gitlab-webhook-uuid");
  EXPECT_EQ(decoder.Decode(WebhookRequest{headers, kBody, kNow}, delivery)->status, 400);
  headers["x-gitlab-webhook-uuid"] = "uuid-1";
  EXPECT_EQ(decoder.Decode(WebhookRequest{headers, "{not json", kNow}, delivery)->status, 400);
  EXPECT_EQ(decoder.Decode(WebhookRequest{headers, R"({"project":{}})", kNow}, delivery)->status,
            422);

  EXPECT_FALSE(decoder.NotApplied("Merge Request Hook").has_value());
  EXPECT_EQ(decoder.NotApplied("Job Hook").value(), "ignored: event key Job Hook is not used");
  EXPECT_EQ(decoder.RepositoryOf("Merge Request Hook", kBody), "grp/proj");
}

}  // namespace
}  // namespace leadline::sources::gitlab
