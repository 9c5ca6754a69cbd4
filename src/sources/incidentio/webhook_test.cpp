#include "sources/incidentio/webhook.h"

#include <gtest/gtest.h>

#include "sources/contract/webhook_signature.h"

namespace leadline::sources::incidentio {
namespace {

// The Standard Webhooks specification's known vector (also Svix's documentation): the key,
// message id, timestamp and body it signs, and the signature it gives.
constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr char kId[] = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr char kTimestamp[] = "1614265330";
constexpr common::UnixSeconds kSentAt = 1614265330;
constexpr char kKnownBody[] = R"({"test": 2432232314})";
constexpr char kKnownSignature[] = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

// A delivery in the shape of incident.io's webhook envelope.
const std::string kBody =
    R"({"event_type":"public_incident.incident_updated_v2",)"
    R"("public_incident.incident_updated_v2":{"incident":{"id":"01HINC1","name":"API down"}}})";

std::map<std::string, std::string> Headers(const std::string& signature,
                                           const std::string& timestamp = kTimestamp) {
  return {{"webhook-id", kId}, {"webhook-timestamp", timestamp}, {"webhook-signature", signature}};
}

TEST(IncidentIoWebhookTest, AcceptsTheKnownVectorAndEverySignatureOfARotation) {
  const IncidentIoWebhookDecoder decoder;
  const auto known = Headers(kKnownSignature);
  EXPECT_FALSE(decoder.Verify({known, kKnownBody, kSentAt}, kSecret).has_value());
  // Svix's own header names carry the same proof.
  const std::map<std::string, std::string> svix = {
      {"svix-id", kId}, {"svix-timestamp", kTimestamp}, {"svix-signature", kKnownSignature}};
  EXPECT_FALSE(decoder.Verify({svix, kKnownBody, kSentAt}, kSecret).has_value());
  // While the secret rotates, incident.io signs with the old and the new one.
  const std::string old_signature =
      SignStandardWebhook(kId, kTimestamp, kBody, "whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0");
  const std::string rotated =
      old_signature + " " + SignStandardWebhook(kId, kTimestamp, kBody, kSecret);
  const auto rotating = Headers(rotated);
  EXPECT_FALSE(decoder.Verify({rotating, kBody, kSentAt + 60}, kSecret).has_value());
  EXPECT_FALSE(decoder.Verify({rotating, kBody, kSentAt + 60}, "whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0")
                   .has_value());
}

TEST(IncidentIoWebhookTest, RefusesAWrongSecretAChangedBodyAReplayAndNoSignature) {
  const IncidentIoWebhookDecoder decoder;
  const auto known = Headers(kKnownSignature);
  const auto wrong = decoder.Verify({known, kKnownBody, kSentAt}, "whsec_c29tZW9uZS1lbHNl");
  ASSERT_TRUE(wrong.has_value());
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(wrong->reason, "bad_signature");
  EXPECT_NE(wrong->message.find("--webhook-secret-file"), std::string::npos);

  std::string changed = kKnownBody;
  changed[changed.size() - 2] = '5';  // one byte of the number
  EXPECT_TRUE(decoder.Verify({known, changed, kSentAt}, kSecret).has_value());

  // The same delivery replayed more than 5 minutes later (or a clock 5 minutes ahead) is refused.
  EXPECT_FALSE(decoder.Verify({known, kKnownBody, kSentAt + 300}, kSecret).has_value());
  const auto replay = decoder.Verify({known, kKnownBody, kSentAt + 301}, kSecret);
  ASSERT_TRUE(replay.has_value());
  EXPECT_NE(replay->message.find("replayed"), std::string::npos);
  EXPECT_TRUE(decoder.Verify({known, kKnownBody, kSentAt - 301}, kSecret).has_value());

  const std::map<std::string, std::string> none;
  const auto unsigned_refusal = decoder.Verify({none, kKnownBody, kSentAt}, kSecret);
  ASSERT_TRUE(unsigned_refusal.has_value());
  EXPECT_EQ(unsigned_refusal->reason, "unsigned");
  // An empty secret is held by no one.
  EXPECT_TRUE(decoder.Verify({known, kKnownBody, kSentAt}, "").has_value());
}

TEST(IncidentIoWebhookTest, DecodesIncidentEventsAsIncidentSyncsAndIgnoresOthers) {
  const IncidentIoWebhookDecoder decoder;
  const auto headers = Headers(SignStandardWebhook(kId, kTimestamp, kBody, kSecret));
  DecodedDelivery delivery;
  ASSERT_FALSE(decoder.Decode({headers, kBody, kSentAt}, delivery).has_value());
  EXPECT_EQ(delivery.delivery_id, std::string("incidentio:") + kId);
  EXPECT_EQ(delivery.event_key, "public_incident.incident_updated_v2");
  EXPECT_TRUE(decoder.SyncsIncidents(delivery.event_key));
  EXPECT_FALSE(decoder.NotApplied(delivery.event_key).has_value());
  EXPECT_TRUE(decoder.SyncsIncidents("private_incident.incident_created_v2"));
  EXPECT_FALSE(decoder.SyncsIncidents("public_incident.follow_up_created_v1"));
  EXPECT_EQ(*decoder.NotApplied("public_incident.follow_up_created_v1"),
            "ignored: event type public_incident.follow_up_created_v1 is not used");

  const auto not_json = decoder.Decode({headers, "{", kSentAt}, delivery);
  ASSERT_TRUE(not_json.has_value());
  EXPECT_EQ(not_json->status, 400);
  const auto no_event = decoder.Decode({headers, R"({"x":1})", kSentAt}, delivery);
  ASSERT_TRUE(no_event.has_value());
  EXPECT_EQ(no_event->status, 422);
  const std::map<std::string, std::string> no_id = {{"webhook-timestamp", kTimestamp}};
  EXPECT_EQ(decoder.Decode({no_id, kBody, kSentAt}, delivery)->status, 400);
}

}  // namespace
}  // namespace leadline::sources::incidentio
