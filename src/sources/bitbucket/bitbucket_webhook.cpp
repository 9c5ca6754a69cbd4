#include "sources/bitbucket/bitbucket_webhook.h"

#include <algorithm>
#include <cstdlib>

#include "sources/bitbucket/webhook_payloads.h"
#include "sources/contract/webhook_signature.h"

namespace leadline::sources::bitbucket {

std::optional<WebhookRefusal> BitbucketWebhookDecoder::Verify(const WebhookRequest& request,
                                                              std::string_view secret) const {
  const std::string signature = request.Header("x-hub-signature");
  if (signature.empty()) {
    return WebhookRefusal{401, "unsigned",
                          "unsigned delivery: set the webhook's secret (`leadline webhooks "
                          "secret`) so that Bitbucket signs it"};
  }
  if (!VerifyHubSignature(signature, request.body, secret)) {
    return WebhookRefusal{401, "bad_signature",
                          "the signature does not match the connection's webhook secret"};
  }
  return std::nullopt;
}

std::optional<WebhookRefusal> BitbucketWebhookDecoder::Decode(const WebhookRequest& request,
                                                              DecodedDelivery& delivery) const {
  delivery.delivery_id = request.Header("x-request-uuid");
  if (delivery.delivery_id.empty()) delivery.delivery_id = request.Header("x-request-id");
  delivery.event_key = request.Header("x-event-key");
  if (delivery.delivery_id.empty() || delivery.event_key.empty()) {
    return WebhookRefusal{400, "bad_delivery",
                          "a delivery needs X-Event-Key and X-Request-UUID (or X-Request-Id)"};
  }
  const WebhookPayload payload = ReadPayload(delivery.event_key, request.body);
  if (!payload.is_json) return WebhookRefusal{400, "bad_delivery", "the body is not valid JSON"};
  if (!payload.has_shape) {
    return WebhookRefusal{422, "bad_delivery",
                          "the body of a " + delivery.event_key + " delivery has no repository"};
  }
  delivery.attempt = std::max(1, std::atoi(request.Header("x-attempt-number").c_str()));
  delivery.repository = payload.repository;
  return std::nullopt;
}

std::optional<std::string> BitbucketWebhookDecoder::NotApplied(const std::string& event_key) const {
  if (event_key == "diagnostics:ping") return "applied: ping";  // Data Center's test delivery
  if (!IsUsedEvent(event_key)) return "ignored: event key " + event_key + " is not used";
  return std::nullopt;
}

std::string BitbucketWebhookDecoder::RepositoryOf(const std::string& event_key,
                                                  std::string_view body) const {
  return ReadPayload(event_key, body).repository;
}

std::vector<std::string> BitbucketWebhookDecoder::SharedPaths() const {
  return {"/v1/bitbucket/webhook", "/v1/bitbucket/webhook/repository",
          "/v1/bitbucket/webhook/merge-request"};
}

}  // namespace leadline::sources::bitbucket
