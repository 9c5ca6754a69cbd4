// Which connection signed a webhook delivery: the connections' webhook secrets, unsealed and
// kept in memory, tried in turn (a handful of connections). When none matches, the secrets are
// read again from the store (at most once a second), so a secret made while the server runs is
// picked up without a restart. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/shared_store.h"
#include "auth/secret_box.h"

namespace leadline::api {

// The connection that signed a delivery.
struct Signer {
  std::int64_t connection_id = 0;
  std::string name;  // "bitbucket-cloud/acme"
};

class WebhookSecrets {
 public:
  WebhookSecrets(SharedStore& store, auth::SecretBox box) : store_(store), box_(std::move(box)) {}

  // The connection whose secret makes `signature` (X-Hub-Signature) valid for `body`.
  std::optional<Signer> SignedBy(std::string_view signature, std::string_view body);

 private:
  std::optional<Signer> Match(std::string_view signature, std::string_view body);
  void Reload();  // with mutex_ held

  SharedStore& store_;
  const auth::SecretBox box_;
  std::mutex mutex_;
  std::vector<std::pair<Signer, std::string>> secrets_;  // connection, secret
  std::int64_t loaded_at_ms_ = -1;
};

}  // namespace leadline::api
