#include "sources/pagerduty/webhook.h"

#include <gtest/gtest.h>

#include "sources/contract/webhook_signature.h"

namespace leadline::sources::pagerduty {
namespace {

// The shape of upstream-apis.md 4.6's example delivery.
const std::string kBody =
    R"({"event":{"id":"01ABC","event_type":"incident.resolved","resource_type":"incident",)"
    R"("occurred_at":"2025-01-02T05:00:00.000Z","agent":null,"client":null,)"
    R"("data":{"id":"PINC1","type":"incident","number":42,"status":"resolved"}}})";
constexpr char kSecret[] = "pd-webhook-secret";

TEST(PagerDutyWebhookTest, VerifiesEverySignatureOfARotationAndRefusesTheRest) {
  const PagerDutyWebhookDecoder decoder;
  const std::string valid = SignPagerDutyWebhook(kBody, kSecret);
  const std::string rotated = SignPagerDutyWebhook(kBody, "old") + "," + valid;
  for (const std::string& header : {valid, rotated}) {
    const std::map<std::string, std::string> headers = {{"x-pagerduty-signature", header}};
    EXPECT_FALSE(decoder.Verify({headers, kBody, 0}, kSecret).has_value()) << header;
  }
  const std::map<std::string, std::string> none;
  const auto unsigned_refusal = decoder.Verify({none, kBody, 0}, kSecret);
  ASSERT_TRUE(unsigned_refusal.has_value());
  EXPECT_EQ(unsigned_refusal->status, 401);
  EXPECT_EQ(unsigned_refusal->reason, "unsigned");
  const std::map<std::string, std::string> wrong = {
      {"x-pagerduty-signature", SignPagerDutyWebhook(kBody, "someone-else")}};
  const auto mismatch = decoder.Verify({wrong, kBody, 0}, kSecret);
  ASSERT_TRUE(mismatch.has_value());
  EXPECT_EQ(mismatch->reason, "bad_signature");
  // A body changed by one byte no longer matches its signature.
  const std::map<std::string, std::string> signed_headers = {{"x-pagerduty-signature", valid}};
  std::string changed = kBody;
  changed[10] = 'X';
  EXPECT_TRUE(decoder.Verify({signed_headers, changed, 0}, kSecret).has_value());
  // An empty secret is held by no one.
  const std::map<std::string, std::string> empty_key = {
      {"x-pagerduty-signature", SignPagerDutyWebhook(kBody, "")}};
  EXPECT_TRUE(decoder.Verify({empty_key, kBody, 0}, "").has_value());
}

TEST(PagerDutyWebhookTest, DecodesTheEventAndItsRetriesKey) {
  const PagerDutyWebhookDecoder decoder;
  DecodedDelivery delivery;
  const std::map<std::string, std::string> with_id = {{"x-webhook-id", "wh-7"}};
  EXPECT_FALSE(decoder.Decode({with_id, kBody, 0}, delivery).has_value());
  EXPECT_EQ(delivery.delivery_id, "pagerduty:wh-7");
  EXPECT_EQ(delivery.event_key, "incident.resolved");
  EXPECT_EQ(delivery.repository, "");
  const std::map<std::string, std::string> none;
  EXPECT_FALSE(decoder.Decode({none, kBody, 0}, delivery).has_value());
  EXPECT_EQ(delivery.delivery_id, "pagerduty:01ABC");  // the event's id without the header

  const auto not_json = decoder.Decode({none, "{", 0}, delivery);
  ASSERT_TRUE(not_json.has_value());
  EXPECT_EQ(not_json->status, 400);
  const auto no_type = decoder.Decode({none, R"({"event":{"id":"1"}})", 0}, delivery);
  ASSERT_TRUE(no_type.has_value());
  EXPECT_EQ(no_type->status, 422);
  const auto no_id =
      decoder.Decode({none, R"({"event":{"event_type":"incident.resolved"}})", 0}, delivery);
  ASSERT_TRUE(no_id.has_value());
  EXPECT_EQ(no_id->status, 400);

  EXPECT_EQ(decoder.NotApplied("incident.resolved"), std::nullopt);
  EXPECT_TRUE(decoder.SyncsIncidents("incident.resolved"));
  EXPECT_TRUE(decoder.SyncsIncidents("incident.priority_updated"));
  EXPECT_FALSE(decoder.SyncsIncidents("service.updated"));
  EXPECT_EQ(decoder.NotApplied("service.updated"),
            "ignored: event type service.updated is not used");
}

}  // namespace
}  // namespace leadline::sources::pagerduty
