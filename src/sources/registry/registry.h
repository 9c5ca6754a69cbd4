// The one place that knows every connector and webhook decoder: the provider's, or none for
// providers without connections (local git, pushed deployments). They are stateless singletons;
// thread-safe.
#pragma once

#include "common/status.h"
#include "model/provider.h"
#include "sources/contract/connector.h"
#include "sources/contract/incident_connector.h"
#include "sources/contract/webhook_decoder.h"

namespace leadline::sources {

// nullptr when `provider` has no connector.
const Connector* FindConnector(model::Provider provider);

// The connector, or an error saying that `provider` cannot be connected.
common::Result<const Connector*> ConnectorFor(model::Provider provider);

// The incident tool's connector; nullptr when `provider` is not an incident tool.
const IncidentConnector* FindIncidentConnector(model::Provider provider);

// How the provider's webhook deliveries are verified and read; nullptr when it has none.
const WebhookDecoder* FindWebhookDecoder(model::Provider provider);

}  // namespace leadline::sources
