// Leadline's Looker connection (docs/bi.md, "Looker refresh"): `leadline looker connect` checks an
// API client id and secret by logging in and out (sources/looker) and keeps the secret sealed with
// the store's key; a trigger of a datagroup with them records its outcome beside the connection
// (`leadline looker status`). Never puts the secret or a Looker token in a message. Runs on the
// caller's thread with the caller's store; holds nothing.
#pragma once

#include <optional>
#include <string>

#include "auth/secret_box.h"
#include "common/status.h"
#include "common/time.h"
#include "http/http_client.h"
#include "sources/looker/looker_client.h"
#include "store/store.h"

namespace leadline::app {

struct LookerConnectRequest {
  std::string url;  // https (http only on loopback), without /api/4.0
  std::string client_id;
  std::string client_secret;
  common::UnixSeconds now = 0;
};

// Checks the request (InvalidArgument saying what is wrong), logs in and out, and stores the
// connection, replacing any other.
common::Status ConnectLooker(store::Store& store, const auth::SecretBox& box,
                             http::HttpClient& client, const LookerConnectRequest& request);

// Which datagroup a trigger names: `datagroup` of `model` (any model when empty).
struct LookerTarget {
  std::string datagroup;
  std::string model;
};
// InvalidArgument for an empty or overlong name.
common::Status CheckLookerTarget(const LookerTarget& target);

// The stored connection; FailedPrecondition saying how to make one when there is none.
common::Result<store::LookerConnection> StoredLookerConnection(store::Store& store);

// Triggers the datagroup at `now` with the stored connection, and records the outcome ("triggered
// model::name", or the error) in the store.
common::Result<sources::looker::TriggerOutcome> TriggerLooker(store::Store& store,
                                                              const auth::SecretBox& box,
                                                              http::HttpClient& client,
                                                              const LookerTarget& target,
                                                              common::UnixSeconds now);

}  // namespace leadline::app
