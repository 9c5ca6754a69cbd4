// The one place that knows every connector: the provider's connector, or none for providers
// without connections (local git, pushed deployments). The connectors are stateless singletons;
// thread-safe.
#pragma once

#include "common/status.h"
#include "model/provider.h"
#include "sources/contract/connector.h"

namespace leadline::sources {

// nullptr when `provider` has no connector.
const Connector* FindConnector(model::Provider provider);

// The connector, or an error saying that `provider` cannot be connected.
common::Result<const Connector*> ConnectorFor(model::Provider provider);

}  // namespace leadline::sources
