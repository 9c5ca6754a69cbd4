#include "api/webhook_secrets.h"

#include <chrono>

#include "auth/webhook_signature.h"

namespace leadline::api {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<Signer> WebhookSecrets::SignedBy(std::string_view signature, std::string_view body) {
  std::lock_guard lock(mutex_);
  if (loaded_at_ms_ < 0) Reload();
  if (auto found = Match(signature, body)) return found;
  if (NowMs() - loaded_at_ms_ < 1000) return std::nullopt;
  Reload();
  return Match(signature, body);
}

std::optional<Signer> WebhookSecrets::Match(std::string_view signature, std::string_view body) {
  for (const auto& [signer, secret] : secrets_) {
    if (auth::VerifyHubSignature(signature, body, secret)) return signer;
  }
  return std::nullopt;
}

void WebhookSecrets::Reload() {
  loaded_at_ms_ = NowMs();
  secrets_.clear();
  store_.With([&](store::Store& store) {
    auto connections = store.LoadConnections();
    if (!connections.ok()) return;
    for (const model::Connection& connection : *connections) {
      auto sealed = store.LoadWebhookSecret(connection.id);
      if (!sealed.ok() || sealed->empty()) continue;
      auto secret = box_.Open(*sealed);
      if (secret.ok()) {
        secrets_.emplace_back(Signer{connection.id, connection.name}, std::move(*secret));
      }
    }
  });
}

}  // namespace leadline::api
