// The composition behind `leadline webhooks secret|status`: each connection's webhook secret
// (made on first use, kept sealed), which Bitbucket signs deliveries with, and per connection
// the last delivery and its outcome. Single-threaded; owns what it opens.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/webhook.h"

namespace leadline::app {

struct ConnectionWebhook {
  std::string connection;                               // "bitbucket-cloud/acme"
  std::string secret;                                   // to paste into the hook's settings
  std::optional<model::WebhookDelivery> last_delivery;  // without its body
};

// Every connection's webhook secret, made (and stored sealed) for those that have none yet.
common::Result<std::vector<ConnectionWebhook>> WebhookSecrets(const std::string& db_path);

// Every connection with its last delivery; secrets are left empty.
common::Result<std::vector<ConnectionWebhook>> WebhookStatus(const std::string& db_path);

}  // namespace leadline::app
