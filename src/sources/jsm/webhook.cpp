#include "sources/jsm/webhook.h"

#include <nlohmann/json.hpp>

#include "sources/contract/webhook_signature.h"

namespace leadline::sources::jsm {
namespace {

using nlohmann::json;

// Event names and identifiers are short words; anything longer is not one.
constexpr std::size_t kMaxWordBytes = 200;

WebhookRefusal Refusal(int status, const char* reason, std::string message) {
  return {status, reason, std::move(message)};
}

}  // namespace

std::optional<WebhookRefusal> JsmWebhookDecoder::Verify(const WebhookRequest& request,
                                                        std::string_view secret) const {
  const std::string signature = request.Header("x-hub-signature");
  if (signature.empty()) {
    return Refusal(401, "unsigned",
                   "the delivery has no X-Hub-Signature: give the Jira webhook a secret "
                   "(Settings > System > WebHooks), and the same secret to `leadline connect "
                   "jsm --webhook-secret-file`");
  }
  if (VerifyHubSignature(signature, request.body, secret)) return std::nullopt;
  return Refusal(401, "bad_signature",
                 "X-Hub-Signature does not match the body under the connection's webhook "
                 "secret: give the Jira webhook's secret to `leadline connect jsm "
                 "--webhook-secret-file`");
}

std::optional<WebhookRefusal> JsmWebhookDecoder::Decode(const WebhookRequest& request,
                                                        DecodedDelivery& delivery) const {
  const std::string id = request.Header("x-atlassian-webhook-identifier");
  if (id.empty() || id.size() > kMaxWordBytes) {
    return Refusal(400, "bad_delivery",
                   "the delivery has no X-Atlassian-Webhook-Identifier of at most 200 bytes");
  }
  const json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Refusal(400, "bad_delivery", "the body is not JSON");
  if (!body.is_object() || !body.contains("webhookEvent") || !body["webhookEvent"].is_string() ||
      body["webhookEvent"].get<std::string>().empty() ||
      body["webhookEvent"].get<std::string>().size() > kMaxWordBytes) {
    return Refusal(422, "bad_delivery", "the body has no webhookEvent");
  }
  delivery.delivery_id = "jsm:" + id;
  delivery.event_key = body["webhookEvent"].get<std::string>();
  delivery.repository.clear();
  return std::nullopt;
}

std::optional<std::string> JsmWebhookDecoder::NotApplied(const std::string& event_key) const {
  if (SyncsIncidents(event_key)) return std::nullopt;
  return "ignored: event " + event_key + " is not used";
}

bool JsmWebhookDecoder::SyncsIncidents(const std::string& event_key) const {
  // jira:issue_created, jira:issue_updated, jira:issue_deleted.
  return event_key.starts_with("jira:issue_");
}

std::string JsmWebhookDecoder::RepositoryOf(const std::string&, std::string_view) const {
  return "";
}

}  // namespace leadline::sources::jsm
