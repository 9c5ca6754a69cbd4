// Webhook deliveries as the durable inbox keeps them: written before the sender gets its 200,
// applied afterwards. No I/O; values only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/time.h"

namespace leadline::model {

struct WebhookDelivery {
  std::int64_t id = 0;             // store-assigned, in arrival order
  std::string delivery_id;         // X-Request-UUID (Cloud) or X-Request-Id (Data Center)
  std::int64_t connection_id = 0;  // whose secret signed it
  std::string event_key;           // X-Event-Key: "pullrequest:updated", "repo:refs_changed"
  int attempt = 1;                 // X-Attempt-Number
  common::UnixSeconds received_at = 0;
  std::string repository;  // what the payload names ("acme/api"), as read at intake; may be empty
  std::string body;
  std::optional<common::UnixSeconds> applied_at;
  std::string outcome;  // once applied: "applied: synced acme/api", "ignored: ..."
};

}  // namespace leadline::model
