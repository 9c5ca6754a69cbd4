// Bitbucket webhooks, Cloud and Data Center alike, at POST /v1/bitbucket/webhook (and its
// aliases /v1/bitbucket/webhook/repository and /v1/bitbucket/webhook/merge-request):
//  - the body must be signed (`X-Hub-Signature: sha256=...`) with a connection's webhook secret:
//    401 otherwise (refusal "unsigned" or "bad_signature"), counted per client address and
//    minute rather than audited one by one (ApiContext::refused);
//  - it needs its delivery id (`X-Request-UUID`, Data Center `X-Request-Id`) and event key
//    (`X-Event-Key`): 400 otherwise; 400 for a body that is not JSON, 422 for JSON of the wrong
//    shape (no repository where the event has one): refusal "bad_delivery", audited one by one
//    with the signing connection's name, as is a 503 when the inbox cannot take it;
//  - an accepted delivery is committed to the inbox before the answer (200 {"accepted": true,
//    "duplicate": false}); a delivery id already in the inbox (a retry) answers 200 with
//    "duplicate": true and is not stored again. Deliveries are applied afterwards
//    (app/webhook_applier.h); event keys Leadline does not use are kept and recorded as ignored.
#pragma once

#include "api/api_context.h"
#include "api/http_server.h"
#include "api/webhook_secrets.h"

namespace leadline::api {

void AddWebhookRoutes(HttpServer& server, ApiContext& context, WebhookSecrets& secrets);

}  // namespace leadline::api
