// PagerDuty's v3 webhook deliveries, served to the route (`POST /v1/webhooks/<connection id>`)
// as a WebhookDecoder (sources/contract/webhook_decoder.h):
//  - proof: `X-PagerDuty-Signature`, one or more "v1=<hex HMAC-SHA256>" of the raw body under
//    the connection's webhook secret (the subscription's signing secret), any of which may match
//    while a secret rotates;
//  - the key deduplicated on: `X-Webhook-Id` (the same on every retry), else the body's event id;
//  - the event: the body's `event.event_type` ("incident.resolved").
// A delivery is stored durably before its 200. An incident event is applied by an incremental
// sync of the connection's incidents (the body is not trusted for the incident's fields: the API
// is read again, so a replayed or reordered delivery cannot set an older state).
// Stateless; thread-safe.
#pragma once

#include "sources/contract/webhook_decoder.h"

namespace leadline::sources::pagerduty {

class PagerDutyWebhookDecoder final : public WebhookDecoder {
 public:
  std::optional<WebhookRefusal> Verify(const WebhookRequest& request,
                                       std::string_view secret) const override;
  std::optional<WebhookRefusal> Decode(const WebhookRequest& request,
                                       DecodedDelivery& delivery) const override;
  std::optional<std::string> NotApplied(const std::string& event_key) const override;
  std::string RepositoryOf(const std::string& event_key, std::string_view body) const override;
  bool SyncsIncidents(const std::string& event_key) const override;
};

}  // namespace leadline::sources::pagerduty
