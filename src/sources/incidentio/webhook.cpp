#include "sources/incidentio/webhook.h"

#include <nlohmann/json.hpp>

#include "sources/contract/webhook_signature.h"

namespace leadline::sources::incidentio {
namespace {

using nlohmann::json;

// Event types and ids are short words; anything longer is not one.
constexpr std::size_t kMaxWordBytes = 200;

WebhookRefusal Refusal(int status, const char* reason, std::string message) {
  return {status, reason, std::move(message)};
}

// The Standard Webhooks header `name`, else Svix's own name for it.
std::string StandardHeader(const WebhookRequest& request, const std::string& name) {
  std::string value = request.Header("webhook-" + name);
  return value.empty() ? request.Header("svix-" + name) : value;
}

}  // namespace

std::optional<WebhookRefusal> IncidentIoWebhookDecoder::Verify(const WebhookRequest& request,
                                                               std::string_view secret) const {
  const std::string id = StandardHeader(request, "id");
  const std::string timestamp = StandardHeader(request, "timestamp");
  const std::string signature = StandardHeader(request, "signature");
  if (id.empty() || timestamp.empty() || signature.empty()) {
    return Refusal(401, "unsigned",
                   "the delivery lacks webhook-id, webhook-timestamp or webhook-signature: "
                   "incident.io signs every webhook delivery with them");
  }
  switch (VerifyStandardWebhook(id, timestamp, signature, request.body, secret, request.now)) {
    case StandardSignature::kValid:
      return std::nullopt;
    case StandardSignature::kOutOfWindow:
      return Refusal(401, "bad_signature",
                     "webhook-timestamp is more than 5 minutes from now: a replayed delivery, or "
                     "this server's clock is wrong");
    case StandardSignature::kMalformed:
      return Refusal(401, "bad_signature",
                     "webhook-signature holds no v1, signature or webhook-timestamp is not a "
                     "number");
    case StandardSignature::kMismatch:
      break;
  }
  return Refusal(401, "bad_signature",
                 "no signature in webhook-signature matches the delivery under the connection's "
                 "webhook secret: give the endpoint's signing secret (whsec_...) to `leadline "
                 "connect incidentio --webhook-secret-file`");
}

std::optional<WebhookRefusal> IncidentIoWebhookDecoder::Decode(const WebhookRequest& request,
                                                               DecodedDelivery& delivery) const {
  const std::string id = StandardHeader(request, "id");
  if (id.empty() || id.size() > kMaxWordBytes) {
    return Refusal(400, "bad_delivery", "the delivery has no webhook-id of at most 200 bytes");
  }
  const json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Refusal(400, "bad_delivery", "the body is not JSON");
  if (!body.is_object() || !body.contains("event_type") || !body["event_type"].is_string() ||
      body["event_type"].get<std::string>().empty() ||
      body["event_type"].get<std::string>().size() > kMaxWordBytes) {
    return Refusal(422, "bad_delivery", "the body has no event_type");
  }
  delivery.delivery_id = "incidentio:" + id;
  delivery.event_key = body["event_type"].get<std::string>();
  delivery.repository.clear();
  return std::nullopt;
}

std::optional<std::string> IncidentIoWebhookDecoder::NotApplied(
    const std::string& event_key) const {
  if (SyncsIncidents(event_key)) return std::nullopt;
  return "ignored: event type " + event_key + " is not used";
}

bool IncidentIoWebhookDecoder::SyncsIncidents(const std::string& event_key) const {
  // public_incident.incident_created_v2, ..._updated_v2, ..._status_updated_v2 and the private
  // incidents' equivalents.
  return event_key.starts_with("public_incident.incident_") ||
         event_key.starts_with("private_incident.incident_");
}

std::string IncidentIoWebhookDecoder::RepositoryOf(const std::string&, std::string_view) const {
  return "";
}

}  // namespace leadline::sources::incidentio
