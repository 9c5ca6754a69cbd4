// Webhook deliveries into the inbox, for every provider, through its decoder
// (sources/contract/webhook_decoder.h; this file names no provider):
//  - POST /v1/webhooks/{connection id}: the connection's provider verifies the delivery with the
//    connection's webhook secret (Bitbucket's `X-Hub-Signature`, GitLab's `X-Gitlab-Token` and
//    Standard Webhooks signature): 401 otherwise (refusal "unsigned" or "bad_signature"); a
//    connection that does not exist is a 404 (refusal "unknown_connection"). Both are counted
//    per client address and minute rather than audited one by one (ApiContext::refused).
//  - the paths a provider's connections share (WebhookDecoder::SharedPaths: Bitbucket's
//    /v1/bitbucket/webhook and its aliases): the delivery must be verified by the secret of one
//    of that provider's connections, which names the connection; 401 otherwise, as above.
// Then the decoder reads the delivery: 400 without its delivery key or event, or for a body that
// is not JSON; 422 for JSON of the wrong shape (no repository where the event has one): refusal
// "bad_delivery", audited one by one with the connection's name, as is a 503 when the inbox
// cannot take it. An accepted delivery is committed to the inbox before the answer (200
// {"accepted": true, "duplicate": false}); a delivery key already in the inbox (a retry) answers
// 200 with "duplicate": true and is not stored again. Deliveries are applied afterwards
// (app/webhook_applier.h); events Leadline does not use are kept and recorded as ignored. Bodies
// are bounded by the server's body limit and memory budget (http_server.h).
#pragma once

#include "api/api_context.h"
#include "api/http_server.h"
#include "api/webhook_secrets.h"

namespace leadline::api {

void AddWebhookRoutes(HttpServer& server, ApiContext& context, WebhookSecrets& secrets);

}  // namespace leadline::api
