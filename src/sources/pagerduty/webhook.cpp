#include "sources/pagerduty/webhook.h"

#include <nlohmann/json.hpp>

#include "sources/contract/webhook_signature.h"

namespace leadline::sources::pagerduty {
namespace {

using nlohmann::json;

// Event types and ids are short words; anything longer is not one.
constexpr std::size_t kMaxWordBytes = 200;

WebhookRefusal Refusal(int status, const char* reason, std::string message) {
  return {status, reason, std::move(message)};
}

// The body's event.<key> as a short string, or "".
std::string EventString(const json& body, const char* key) {
  if (!body.is_object() || !body.contains("event") || !body["event"].is_object()) return "";
  const json& event = body["event"];
  if (!event.contains(key) || !event[key].is_string()) return "";
  std::string value = event[key].get<std::string>();
  return value.size() <= kMaxWordBytes ? value : "";
}

}  // namespace

std::optional<WebhookRefusal> PagerDutyWebhookDecoder::Verify(const WebhookRequest& request,
                                                              std::string_view secret) const {
  const std::string header = request.Header("x-pagerduty-signature");
  if (header.empty()) {
    return Refusal(401, "unsigned",
                   "the delivery has no X-PagerDuty-Signature: subscribe a v3 webhook, whose "
                   "deliveries are signed");
  }
  switch (VerifyPagerDutySignature(header, request.body, secret)) {
    case PagerDutySignature::kValid:
      return std::nullopt;
    case PagerDutySignature::kMalformed:
      return Refusal(401, "bad_signature",
                     "X-PagerDuty-Signature holds no v1= signature: a v3 webhook sends them");
    case PagerDutySignature::kMismatch:
      break;
  }
  return Refusal(401, "bad_signature",
                 "no signature in X-PagerDuty-Signature matches the body under the connection's "
                 "webhook secret: give the subscription's signing secret to `leadline connect "
                 "pagerduty --webhook-secret-file`");
}

std::optional<WebhookRefusal> PagerDutyWebhookDecoder::Decode(const WebhookRequest& request,
                                                              DecodedDelivery& delivery) const {
  const json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Refusal(400, "bad_delivery", "the body is not JSON");
  const std::string event_type = EventString(body, "event_type");
  if (event_type.empty()) {
    return Refusal(422, "bad_delivery", "the body has no event.event_type");
  }
  std::string id = request.Header("x-webhook-id");
  if (id.size() > kMaxWordBytes) id.clear();
  if (id.empty()) id = EventString(body, "id");
  if (id.empty()) {
    return Refusal(400, "bad_delivery", "the delivery has neither X-Webhook-Id nor event.id");
  }
  delivery.delivery_id = "pagerduty:" + id;
  delivery.event_key = event_type;
  delivery.repository.clear();
  return std::nullopt;
}

std::optional<std::string> PagerDutyWebhookDecoder::NotApplied(const std::string& event_key) const {
  if (SyncsIncidents(event_key)) return std::nullopt;
  return "ignored: event type " + event_key + " is not used";
}

bool PagerDutyWebhookDecoder::SyncsIncidents(const std::string& event_key) const {
  return event_key.starts_with("incident.");
}

std::string PagerDutyWebhookDecoder::RepositoryOf(const std::string&, std::string_view) const {
  return "";
}

}  // namespace leadline::sources::pagerduty
