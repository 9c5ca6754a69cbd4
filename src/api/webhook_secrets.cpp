#include "api/webhook_secrets.h"

#include <chrono>

namespace leadline::api {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<Signer> WebhookSecrets::VerifiedBy(
    const std::function<bool(const ConnectionSecret&)>& proves) {
  std::lock_guard lock(mutex_);
  if (loaded_at_ms_ < 0) Reload();
  if (auto found = Match(proves)) return found;
  if (!MayReload()) return std::nullopt;
  Reload();
  return Match(proves);
}

std::optional<ConnectionSecret> WebhookSecrets::Of(std::int64_t connection_id) {
  std::lock_guard lock(mutex_);
  if (loaded_at_ms_ < 0) Reload();
  const ConnectionSecret* found = Find(connection_id);
  if ((!found || found->secret.empty()) && MayReload()) {
    Reload();
    found = Find(connection_id);
  }
  if (!found) return std::nullopt;
  return *found;
}

std::optional<Signer> WebhookSecrets::Match(
    const std::function<bool(const ConnectionSecret&)>& proves) const {
  for (const ConnectionSecret& entry : secrets_) {
    if (!entry.secret.empty() && proves(entry)) return entry.connection;
  }
  return std::nullopt;
}

const ConnectionSecret* WebhookSecrets::Find(std::int64_t connection_id) const {
  for (const ConnectionSecret& entry : secrets_) {
    if (entry.connection.connection_id == connection_id) return &entry;
  }
  return nullptr;
}

bool WebhookSecrets::MayReload() const { return NowMs() - loaded_at_ms_ >= 1000; }

void WebhookSecrets::Reload() {
  loaded_at_ms_ = NowMs();
  // What a store that does not answer (or no free connection) leaves: the secrets read last.
  auto loaded =
      store_.With([&](store::Store& store) -> common::Result<std::vector<ConnectionSecret>> {
        LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Connection> connections,
                                  store.connections().LoadConnections());
        std::vector<ConnectionSecret> secrets;
        for (const model::Connection& connection : connections) {
          ConnectionSecret entry{{connection.id, connection.name, connection.provider}, ""};
          auto sealed = store.connections().LoadWebhookSecret(connection.id);
          if (sealed.ok() && !sealed->empty()) {
            auto secret = box_.Open(*sealed);
            if (secret.ok()) entry.secret = std::move(*secret);
          }
          secrets.push_back(std::move(entry));
        }
        return secrets;
      });
  if (loaded.ok()) secrets_ = std::move(*loaded);
}

}  // namespace leadline::api
