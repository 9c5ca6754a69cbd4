// Jira Service Management's webhook deliveries: Jira's admin webhooks (Settings > System >
// WebHooks, with a secret), served to the route (`POST /v1/webhooks/<connection id>`) as a
// WebhookDecoder (sources/contract/webhook_decoder.h):
//  - proof: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>` under the webhook's
//    secret (Jira signs only admin webhooks that have one; a delivery without it is refused);
//  - the key deduplicated on: `X-Atlassian-Webhook-Identifier`, the same on every retry;
//  - the event: the body's `webhookEvent` ("jira:issue_updated").
// Jira's deliveries carry no timestamp in their proof, so a replay of a signed delivery is
// stored once by its identifier and otherwise only makes the connection sync again. A work-item
// event is applied by an incremental sync of the connection's incidents: the API is read again
// rather than the body trusted. Stateless; thread-safe.
#pragma once

#include "sources/contract/webhook_decoder.h"

namespace leadline::sources::jsm {

class JsmWebhookDecoder final : public WebhookDecoder {
 public:
  std::optional<WebhookRefusal> Verify(const WebhookRequest& request,
                                       std::string_view secret) const override;
  std::optional<WebhookRefusal> Decode(const WebhookRequest& request,
                                       DecodedDelivery& delivery) const override;
  std::optional<std::string> NotApplied(const std::string& event_key) const override;
  std::string RepositoryOf(const std::string& event_key, std::string_view body) const override;
  bool SyncsIncidents(const std::string& event_key) const override;
};

}  // namespace leadline::sources::jsm
