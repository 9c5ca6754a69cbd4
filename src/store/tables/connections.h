// The connections to upstreams (code hosts and incident tools) with their sealed credentials, the
// outcome of each one's last check, its webhook secret, and its request budget, which every
// process on the store shares. Reached through Store::connections(), on the store's connection;
// used from one thread at a time, like the Store. Outside a transaction each call commits at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "model/connection.h"

namespace leadline::store {

// One ask of a connection's request budget shared through the store (ReserveRequests).
struct RequestAsk {
  std::int64_t connection_id = 0;
  std::int64_t count = 1;     // requests wanted: 1 to per_hour
  std::int64_t per_hour = 0;  // the connection's allowance in any hour: 1 to 10,000,000
  common::UnixSeconds now = 0;
  // The last moment the requests may be sent, from now to ten minutes on: they count from their
  // reservation until an hour after it (see store/sql/request_budget_rows.h).
  common::UnixSeconds send_by = 0;
};

struct RequestGrant {
  bool granted = false;  // all `count` requests, or none
  // When none: the time from which asking again may be granted (later than `now`).
  common::UnixSeconds retry_at = 0;
};

class Connections {
 public:
  virtual ~Connections() = default;

  // Inserts or replaces a connection by name; returns its id.
  virtual common::Result<std::int64_t> UpsertConnection(const model::Connection& connection) = 0;
  // Every connection, ordered by name.
  virtual common::Result<std::vector<model::Connection>> LoadConnections() = 0;
  virtual common::Status RecordConnectionCheck(std::int64_t connection_id, common::UnixSeconds at,
                                               const std::string& outcome) = 0;

  // A connection's webhook secret, sealed (auth::SecretBox); empty when none was made.
  virtual common::Status SetWebhookSecret(std::int64_t connection_id,
                                          const std::string& sealed) = 0;
  virtual common::Result<std::string> LoadWebhookSecret(std::int64_t connection_id) = 0;

  // Reserves `ask.count` requests of the connection's allowance, or none when they would take it
  // over `ask.per_hour` within an hour. Atomic across processes; outside a transaction, commits
  // at once.
  virtual common::Result<RequestGrant> ReserveRequests(const RequestAsk& ask) = 0;
};

}  // namespace leadline::store
