#include "api/webhook_routes.h"

#include <nlohmann/json.hpp>

#include "api/responses.h"
#include "api/webhook_payloads.h"

namespace leadline::api {
namespace {

using nlohmann::json;

// Whether the payload has what its event needs: the repository (Cloud: "repository" with a
// full_name; Data Center: "repository", or a pull request's target repository). Pings and
// keys Leadline does not use are taken as they are.
bool HasExpectedShape(const std::string& event_key, const json& body) {
  if (!body.is_object()) return false;
  const bool cloud = event_key.rfind("repo:", 0) == 0 || event_key.rfind("pullrequest:", 0) == 0;
  const bool data_center = event_key.rfind("pr:", 0) == 0;
  if (event_key == "repo:refs_changed" || event_key == "repo:modified") {
    const auto repo = body.find("repository");
    return repo != body.end() && repo->is_object() && repo->contains("slug");
  }
  if (data_center) {
    const auto pr = body.find("pullRequest");
    return pr != body.end() && pr->is_object() && pr->contains("toRef");
  }
  if (cloud) {
    const auto repo = body.find("repository");
    return repo != body.end() && repo->is_object() && repo->contains("full_name") &&
           (*repo)["full_name"].is_string();
  }
  return true;
}

HttpResponse Accepted(bool duplicate) {
  HttpResponse response;
  response.body = json{{"accepted", true}, {"duplicate", duplicate}}.dump() + "\n";
  return response;
}

HttpResponse Receive(ApiContext& context, WebhookSecrets& secrets, const HttpRequest& request) {
  const auto rejected = [&](int status, const std::string& message) {
    context.metrics.CountDelivery("rejected");
    return ErrorResponse(status, message);
  };
  const std::string signature = request.Header("x-hub-signature");
  if (signature.empty()) {
    return rejected(401,
                    "unsigned delivery: set the webhook's secret (`leadline webhooks "
                    "secret`) so that Bitbucket signs it");
  }
  const std::optional<std::int64_t> connection = secrets.SignedBy(signature, request.body);
  if (!connection) return rejected(401, "the signature does not match any connection's secret");
  std::string delivery_id = request.Header("x-request-uuid");
  if (delivery_id.empty()) delivery_id = request.Header("x-request-id");
  const std::string event_key = request.Header("x-event-key");
  if (delivery_id.empty() || event_key.empty()) {
    return rejected(400, "a delivery needs X-Event-Key and X-Request-UUID (or X-Request-Id)");
  }
  const json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return rejected(400, "the body is not valid JSON");
  if (!HasExpectedShape(event_key, body)) {
    return rejected(422, "the body of a " + event_key + " delivery has no repository");
  }
  model::WebhookDelivery delivery;
  delivery.delivery_id = delivery_id;
  delivery.connection_id = *connection;
  delivery.event_key = event_key;
  delivery.attempt = std::atoi(request.Header("x-attempt-number").c_str());
  if (delivery.attempt < 1) delivery.attempt = 1;
  delivery.received_at = context.now();
  delivery.repository = RepositoryOf(event_key, body);
  delivery.body = request.body;
  // Committed (an autocommit insert) before the answer: a crash after the 200 loses nothing.
  auto inserted =
      context.store.With([&](store::Store& store) { return store.InsertDelivery(delivery); });
  if (!inserted.ok())
    return rejected(503, "the inbox cannot take it now: " + inserted.status().message());
  context.metrics.CountDelivery(*inserted ? "accepted" : "duplicate");
  if (*inserted && context.inbox_changed) context.inbox_changed();
  return Accepted(!*inserted);
}

}  // namespace

void AddWebhookRoutes(HttpServer& server, ApiContext& context, WebhookSecrets& secrets) {
  for (const char* path : {"/v1/bitbucket/webhook", "/v1/bitbucket/webhook/repository",
                           "/v1/bitbucket/webhook/merge-request"}) {
    server.Route("POST", path, [&context, &secrets](const HttpRequest& request) {
      return Receive(context, secrets, request);
    });
  }
}

}  // namespace leadline::api
