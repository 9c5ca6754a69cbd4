#include "api/webhook_routes.h"

#include <memory>

#include "api/access_gate.h"
#include "api/inbox_writer.h"
#include "api/responses.h"
#include "api/webhook_payloads.h"

namespace leadline::api {
namespace {

HttpResponse Accepted(bool duplicate) {
  HttpResponse response;
  response.body = duplicate ? "{\"accepted\":true,\"duplicate\":true}\n"
                            : "{\"accepted\":true,\"duplicate\":false}\n";
  return response;
}

HttpResponse Receive(ApiContext& context, WebhookSecrets& secrets, InboxWriter& inbox,
                     const HttpRequest& request) {
  // Without a valid signature the sender is no one known: counted, not audited one by one.
  const auto refused = [&](const char* reason, const std::string& message) {
    context.metrics.CountDelivery("rejected");
    HttpResponse response = ErrorResponse(401, message);
    response.refusal = reason;
    context.refused(request, response);
    return response;
  };
  const std::string signature = request.Header("x-hub-signature");
  if (signature.empty()) {
    return refused("unsigned",
                   "unsigned delivery: set the webhook's secret (`leadline webhooks "
                   "secret`) so that Bitbucket signs it");
  }
  const std::optional<Signer> signer = secrets.SignedBy(signature, request.body);
  if (!signer) {
    return refused("bad_signature", "the signature does not match any connection's secret");
  }
  // A signed delivery comes from a connection's secret: audited like a call with a token.
  const auto rejected = [&](int status, const char* reason, const std::string& message) {
    context.metrics.CountDelivery("rejected");
    AuditCall(context, request, "webhook " + signer->name, status);
    HttpResponse response = ErrorResponse(status, message);
    response.refusal = reason;
    return response;
  };
  std::string delivery_id = request.Header("x-request-uuid");
  if (delivery_id.empty()) delivery_id = request.Header("x-request-id");
  const std::string event_key = request.Header("x-event-key");
  if (delivery_id.empty() || event_key.empty()) {
    return rejected(400, "bad_delivery",
                    "a delivery needs X-Event-Key and X-Request-UUID (or X-Request-Id)");
  }
  const WebhookPayload payload = ReadPayload(event_key, request.body);
  if (!payload.is_json) return rejected(400, "bad_delivery", "the body is not valid JSON");
  if (!payload.has_shape) {
    return rejected(422, "bad_delivery",
                    "the body of a " + event_key + " delivery has no repository");
  }
  model::WebhookDelivery delivery;
  delivery.delivery_id = delivery_id;
  delivery.connection_id = signer->connection_id;
  delivery.event_key = event_key;
  delivery.attempt = std::atoi(request.Header("x-attempt-number").c_str());
  if (delivery.attempt < 1) delivery.attempt = 1;
  delivery.received_at = context.now();
  delivery.repository = payload.repository;
  delivery.body = request.body;
  // Committed before the answer (with the deliveries arriving meanwhile): a crash after the 200
  // loses nothing.
  auto inserted = inbox.Insert(delivery);
  if (!inserted.ok()) {
    return rejected(503, "unavailable",
                    "the inbox cannot take it now: " + inserted.status().message());
  }
  context.metrics.CountDelivery(*inserted ? "accepted" : "duplicate");
  if (*inserted && context.inbox_changed) context.inbox_changed();
  return Accepted(!*inserted);
}

}  // namespace

void AddWebhookRoutes(HttpServer& server, ApiContext& context, WebhookSecrets& secrets) {
  auto inbox = std::make_shared<InboxWriter>(context.store);
  for (const char* path : {"/v1/bitbucket/webhook", "/v1/bitbucket/webhook/repository",
                           "/v1/bitbucket/webhook/merge-request"}) {
    server.Route("POST", path, [&context, &secrets, inbox](const HttpRequest& request) {
      return Receive(context, secrets, *inbox, request);
    });
  }
}

}  // namespace leadline::api
