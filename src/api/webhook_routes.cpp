#include "api/webhook_routes.h"

#include <charconv>
#include <memory>
#include <set>

#include "api/access_gate.h"
#include "api/inbox_writer.h"
#include "api/responses.h"
#include "sources/registry/registry.h"

namespace leadline::api {
namespace {

constexpr char kConnectionRoute[] = "/v1/webhooks/{connection}";
constexpr std::string_view kConnectionPrefix = "/v1/webhooks/";

HttpResponse Accepted(bool duplicate) {
  HttpResponse response;
  response.body = duplicate ? "{\"accepted\":true,\"duplicate\":true}\n"
                            : "{\"accepted\":true,\"duplicate\":false}\n";
  return response;
}

// Refused before the sender is known to be a connection: counted, not audited one by one.
HttpResponse Refused(ApiContext& context, const HttpRequest& request, int status,
                     const std::string& reason, const std::string& message) {
  context.metrics.CountDelivery("rejected");
  HttpResponse response = ErrorResponse(status, message);
  response.refusal = reason;
  context.refused(request, response);
  return response;
}

// A delivery verified as `signer`'s: decoded, then committed to the inbox.
HttpResponse Store(ApiContext& context, InboxWriter& inbox, const HttpRequest& request,
                   const sources::WebhookRequest& delivered, const Signer& signer,
                   const sources::WebhookDecoder& decoder) {
  // A verified delivery comes from a connection's secret: audited like a call with a token.
  const auto rejected = [&](int status, const std::string& reason, const std::string& message) {
    context.metrics.CountDelivery("rejected");
    AuditCall(context, request, "webhook " + signer.name, status);
    HttpResponse response = ErrorResponse(status, message);
    response.refusal = reason;
    return response;
  };
  sources::DecodedDelivery decoded;
  if (auto refusal = decoder.Decode(delivered, decoded)) {
    return rejected(refusal->status, refusal->reason, refusal->message);
  }
  model::WebhookDelivery delivery;
  delivery.delivery_id = std::move(decoded.delivery_id);
  delivery.connection_id = signer.connection_id;
  delivery.event_key = std::move(decoded.event_key);
  delivery.attempt = decoded.attempt;
  delivery.received_at = delivered.now;
  delivery.repository = std::move(decoded.repository);
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

// POST /v1/webhooks/{connection}: verified by the connection's provider with its secret.
HttpResponse ReceiveForConnection(ApiContext& context, WebhookSecrets& secrets, InboxWriter& inbox,
                                  const HttpRequest& request) {
  const std::string_view id_text = std::string_view(request.path).substr(kConnectionPrefix.size());
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  std::optional<ConnectionSecret> connection;
  if (error == std::errc() && end == id_text.data() + id_text.size()) connection = secrets.Of(id);
  const sources::WebhookDecoder* decoder =
      connection ? sources::FindWebhookDecoder(connection->connection.provider) : nullptr;
  if (!decoder) {
    return Refused(context, request, 404, "unknown_connection",
                   "no connection " + std::string(id_text) +
                       " takes webhooks: the URL is <public_url>/v1/webhooks/<connection id>, as "
                       "`leadline repos select` registers it");
  }
  if (connection->secret.empty()) {
    return Refused(context, request, 401, "unsigned",
                   "connection " + connection->connection.name +
                       " has no webhook secret yet: `leadline webhooks secret` makes one");
  }
  const sources::WebhookRequest delivered{request.headers, request.body, context.now()};
  if (auto refusal = decoder->Verify(delivered, connection->secret)) {
    return Refused(context, request, refusal->status, refusal->reason, refusal->message);
  }
  return Store(context, inbox, request, delivered, connection->connection, *decoder);
}

// A path every connection of the decoder's provider shares: the proof names the connection.
HttpResponse ReceiveShared(ApiContext& context, WebhookSecrets& secrets, InboxWriter& inbox,
                           const sources::WebhookDecoder& decoder, const HttpRequest& request) {
  const sources::WebhookRequest delivered{request.headers, request.body, context.now()};
  // What a sender holding no connection's secret is told; without a proof, nothing is tried.
  const std::optional<sources::WebhookRefusal> anonymous = decoder.Verify(delivered, "");
  std::optional<Signer> signer;
  if (anonymous && anonymous->reason != "unsigned") {
    signer = secrets.VerifiedBy([&](const ConnectionSecret& connection) {
      return sources::FindWebhookDecoder(connection.connection.provider) == &decoder &&
             !decoder.Verify(delivered, connection.secret);
    });
  }
  if (!signer) {
    return Refused(context, request, anonymous ? anonymous->status : 401,
                   anonymous ? anonymous->reason : "bad_signature",
                   anonymous && anonymous->reason == "unsigned"
                       ? anonymous->message
                       : "the signature does not match any connection's secret");
  }
  return Store(context, inbox, request, delivered, *signer, decoder);
}

}  // namespace

void AddWebhookRoutes(HttpServer& server, ApiContext& context, WebhookSecrets& secrets) {
  auto inbox = std::make_shared<InboxWriter>(context.store);
  server.Route("POST", kConnectionRoute, [&context, &secrets, inbox](const HttpRequest& request) {
    return ReceiveForConnection(context, secrets, *inbox, request);
  });
  // Each provider's shared paths, once (one decoder may serve several providers).
  std::set<const sources::WebhookDecoder*> decoders;
  for (const model::Provider provider : model::kProviders) {
    const sources::WebhookDecoder* decoder = sources::FindWebhookDecoder(provider);
    if (!decoder || !decoders.insert(decoder).second) continue;
    for (const std::string& path : decoder->SharedPaths()) {
      server.Route("POST", path, [&context, &secrets, inbox, decoder](const HttpRequest& request) {
        return ReceiveShared(context, secrets, *inbox, *decoder, request);
      });
    }
  }
}

}  // namespace leadline::api
