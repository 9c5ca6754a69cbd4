// The connections' webhook secrets, unsealed and kept in memory: which connection a delivery to
// /v1/webhooks/{connection} names, and which one signed a delivery to the older Bitbucket URL
// (tried in turn: a handful of connections). When the connection is not known, or no secret
// matches, the secrets are read again from the store (at most once a second), so a connection or
// secret made while the server runs is picked up without a restart. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/shared_store.h"
#include "auth/secret_box.h"
#include "model/provider.h"

namespace leadline::api {

// The connection a delivery comes from.
struct Signer {
  std::int64_t connection_id = 0;
  std::string name;  // "bitbucket-cloud/acme"
  model::Provider provider = model::Provider::kBitbucketCloud;
};

// A connection with its webhook secret (empty: none made yet).
struct ConnectionSecret {
  Signer connection;
  std::string secret;
};

class WebhookSecrets {
 public:
  WebhookSecrets(SharedStore& store, auth::SecretBox box) : store_(store), box_(std::move(box)) {}

  // The first connection for which `proves(connection)` holds (whose secret signed a delivery).
  std::optional<Signer> VerifiedBy(const std::function<bool(const ConnectionSecret&)>& proves);

  // The connection with id `connection_id`, with its secret; nullopt when there is none.
  std::optional<ConnectionSecret> Of(std::int64_t connection_id);

 private:
  std::optional<Signer> Match(const std::function<bool(const ConnectionSecret&)>& proves) const;
  const ConnectionSecret* Find(std::int64_t connection_id) const;
  bool MayReload() const;  // with mutex_ held
  void Reload();           // with mutex_ held

  SharedStore& store_;
  const auth::SecretBox box_;
  std::mutex mutex_;
  std::vector<ConnectionSecret> secrets_;
  std::int64_t loaded_at_ms_ = -1;
};

}  // namespace leadline::api
