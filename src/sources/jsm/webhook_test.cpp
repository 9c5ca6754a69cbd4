#include "sources/jsm/webhook.h"

#include <gtest/gtest.h>

#include "sources/contract/webhook_signature.h"

namespace leadline::sources::jsm {
namespace {

constexpr char kSecret[] = "jira-webhook-secret";
constexpr char kBody[] =
    R"({"timestamp":1748764800000,"webhookEvent":"jira:issue_updated","issue":{"id":"10001"}})";

TEST(JsmWebhookTest, SignedDeliveriesAreVerifiedAndDecoded) {
  JsmWebhookDecoder decoder;
  std::map<std::string, std::string> headers = {
      {"x-hub-signature", SignHubSignature(kBody, kSecret)},
      {"x-atlassian-webhook-identifier", "hook-7-delivery-1"}};
  const WebhookRequest request{headers, kBody, 1748764800};
  EXPECT_FALSE(decoder.Verify(request, kSecret).has_value());
  DecodedDelivery delivery;
  EXPECT_FALSE(decoder.Decode(request, delivery).has_value());
  EXPECT_EQ(delivery.delivery_id, "jsm:hook-7-delivery-1");
  EXPECT_EQ(delivery.event_key, "jira:issue_updated");
  EXPECT_TRUE(decoder.SyncsIncidents(delivery.event_key));
  EXPECT_FALSE(decoder.NotApplied(delivery.event_key).has_value());
  EXPECT_EQ(*decoder.NotApplied("comment_created"), "ignored: event comment_created is not used");
}

TEST(JsmWebhookTest, UnsignedForgedAndChangedDeliveriesAreRefused) {
  JsmWebhookDecoder decoder;
  std::map<std::string, std::string> headers = {{"x-atlassian-webhook-identifier", "d1"}};
  const WebhookRequest unsigned_request{headers, kBody, 0};
  EXPECT_EQ(decoder.Verify(unsigned_request, kSecret)->reason, "unsigned");
  headers["x-hub-signature"] = SignHubSignature(kBody, "another-secret");
  EXPECT_EQ(decoder.Verify({headers, kBody, 0}, kSecret)->reason, "bad_signature");
  headers["x-hub-signature"] = SignHubSignature(kBody, kSecret);
  std::string changed = kBody;
  changed[changed.size() - 3] = '2';
  EXPECT_EQ(decoder.Verify({headers, changed, 0}, kSecret)->status, 401);
  EXPECT_TRUE(decoder.Verify({headers, kBody, 0}, "").has_value());
}

TEST(JsmWebhookTest, DeliveriesWithoutIdentifierOrEventAreRefused) {
  JsmWebhookDecoder decoder;
  DecodedDelivery delivery;
  std::map<std::string, std::string> none;
  EXPECT_EQ(decoder.Decode({none, kBody, 0}, delivery)->status, 400);
  std::map<std::string, std::string> headers = {{"x-atlassian-webhook-identifier", "d1"}};
  EXPECT_EQ(decoder.Decode({headers, "not json", 0}, delivery)->status, 400);
  EXPECT_EQ(decoder.Decode({headers, R"({"issue":{}})", 0}, delivery)->status, 422);
}

}  // namespace
}  // namespace leadline::sources::jsm
