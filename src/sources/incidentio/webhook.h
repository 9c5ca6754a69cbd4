// incident.io's webhook deliveries (sent through Svix, as Standard Webhooks), served to the route
// (`POST /v1/webhooks/<connection id>`) as a WebhookDecoder (sources/contract/webhook_decoder.h):
//  - proof: `webhook-signature`, one or more "v1,<base64 HMAC-SHA256>" of
//    "{webhook-id}.{webhook-timestamp}.{raw body}" under the endpoint's signing secret
//    ("whsec_<base64>"), any of which may match while a secret rotates; a `webhook-timestamp`
//    more than 5 minutes from now is refused as a replay. Svix's older `svix-*` header names are
//    read too;
//  - the key deduplicated on: `webhook-id` (the same on every retry);
//  - the event: the body's `event_type` ("public_incident.incident_updated_v2").
// A delivery is stored durably before its 200. An incident event is applied by an incremental
// sync of the connection's incidents: deliveries may come out of order, so the API is read
// again rather than the body trusted. Stateless; thread-safe.
#pragma once

#include "sources/contract/webhook_decoder.h"

namespace leadline::sources::incidentio {

class IncidentIoWebhookDecoder final : public WebhookDecoder {
 public:
  std::optional<WebhookRefusal> Verify(const WebhookRequest& request,
                                       std::string_view secret) const override;
  std::optional<WebhookRefusal> Decode(const WebhookRequest& request,
                                       DecodedDelivery& delivery) const override;
  std::optional<std::string> NotApplied(const std::string& event_key) const override;
  std::string RepositoryOf(const std::string& event_key, std::string_view body) const override;
  bool SyncsIncidents(const std::string& event_key) const override;
};

}  // namespace leadline::sources::incidentio
