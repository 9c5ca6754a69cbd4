#include "sources/gitlab/webhook.h"

#include "sources/contract/webhook_json.h"
#include "sources/contract/webhook_signature.h"

namespace leadline::sources::gitlab {

HookHeaders ReadHookHeaders(const WebhookRequest& request) {
  HookHeaders headers;
  headers.event = request.Header("x-gitlab-event");
  headers.token = request.Header("x-gitlab-token");
  headers.idempotency_key = request.Header("idempotency-key");
  headers.webhook_uuid = request.Header("x-gitlab-webhook-uuid");
  headers.signature_id = request.Header("webhook-id");
  headers.signature_timestamp = request.Header("webhook-timestamp");
  headers.signature = request.Header("webhook-signature");
  return headers;
}

HookCheck CheckHook(const HookHeaders& headers, std::string_view body, std::string_view secret,
                    common::UnixSeconds now) {
  if (headers.token.empty()) return HookCheck::kNoToken;
  if (!SecretsEqual(headers.token, secret)) return HookCheck::kWrongToken;
  // A signature is optional (GitLab signs only with its signing token set), but one that is
  // there must hold: any of the three headers asks for all of them.
  if (headers.signature_id.empty() && headers.signature_timestamp.empty() &&
      headers.signature.empty()) {
    return HookCheck::kOk;
  }
  switch (VerifyStandardWebhook(headers.signature_id, headers.signature_timestamp,
                                headers.signature, body, secret, now)) {
    case StandardSignature::kValid:
      return HookCheck::kOk;
    case StandardSignature::kOutOfWindow:
      return HookCheck::kStaleSignature;
    case StandardSignature::kMalformed:
    case StandardSignature::kMismatch:
      break;
  }
  return HookCheck::kBadSignature;
}

std::string DeliveryKey(const HookHeaders& headers) {
  if (!headers.idempotency_key.empty()) return headers.idempotency_key;
  if (!headers.signature_id.empty()) return headers.signature_id;
  return headers.webhook_uuid;
}

bool IsUsedHookEvent(std::string_view event) {
  return event == "Push Hook" || event == "Tag Push Hook" || event == "Merge Request Hook" ||
         event == "Note Hook" || event == "Pipeline Hook" || event == "Deployment Hook";
}

HookPayload ReadHookPayload(std::string_view event, std::string_view body) {
  HookPayload payload;
  payload.is_json = ReadWebhookJson(body, [&](simdjson::dom::element document) {
    if (!document.is_object()) return;
    std::string_view project;
    if (document["project"]["path_with_namespace"].get(project) == simdjson::SUCCESS) {
      payload.project = std::string(project);
    }
    payload.has_shape = !IsUsedHookEvent(event) || !payload.project.empty();
  });
  return payload;
}

std::optional<WebhookRefusal> GitLabWebhookDecoder::Verify(const WebhookRequest& request,
                                                           std::string_view secret) const {
  switch (CheckHook(ReadHookHeaders(request), request.body, secret, request.now)) {
    case HookCheck::kOk:
      return std::nullopt;
    case HookCheck::kNoToken:
      return WebhookRefusal{401, "unsigned",
                            "no X-Gitlab-Token: set the hook's secret token to the connection's "
                            "webhook secret (`leadline webhooks secret`)"};
    case HookCheck::kWrongToken:
      return WebhookRefusal{401, "bad_signature",
                            "X-Gitlab-Token is not the connection's webhook secret"};
    case HookCheck::kBadSignature:
      return WebhookRefusal{401, "bad_signature",
                            "the webhook-signature does not match the connection's webhook secret "
                            "(webhook-id, webhook-timestamp and webhook-signature go together)"};
    case HookCheck::kStaleSignature:
      return WebhookRefusal{401, "bad_signature",
                            "the webhook-timestamp is more than five minutes from the server's "
                            "clock: a replayed delivery, or a clock to set right"};
  }
  return WebhookRefusal{401, "bad_signature", "unverified delivery"};
}

std::optional<WebhookRefusal> GitLabWebhookDecoder::Decode(const WebhookRequest& request,
                                                           DecodedDelivery& delivery) const {
  const HookHeaders headers = ReadHookHeaders(request);
  delivery.delivery_id = DeliveryKey(headers);
  delivery.event_key = headers.event;
  if (delivery.delivery_id.empty() || delivery.event_key.empty()) {
    return WebhookRefusal{
        400, "bad_delivery",
        "a delivery needs X-Gitlab-Event and Idempotency-Key (or X-Gitlab-Webhook-UUID)"};
  }
  const HookPayload payload = ReadHookPayload(headers.event, request.body);
  if (!payload.is_json) return WebhookRefusal{400, "bad_delivery", "the body is not valid JSON"};
  if (!payload.has_shape) {
    return WebhookRefusal{422, "bad_delivery",
                          "the body of a " + headers.event +
                              " delivery names no project (project.path_with_namespace)"};
  }
  delivery.attempt = 1;  // GitLab does not number its attempts
  delivery.repository = payload.project;
  return std::nullopt;
}

std::optional<std::string> GitLabWebhookDecoder::NotApplied(const std::string& event_key) const {
  if (!IsUsedHookEvent(event_key)) return "ignored: event key " + event_key + " is not used";
  return std::nullopt;
}

std::string GitLabWebhookDecoder::RepositoryOf(const std::string& event_key,
                                               std::string_view body) const {
  return ReadHookPayload(event_key, body).project;
}

}  // namespace leadline::sources::gitlab
