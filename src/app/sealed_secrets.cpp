#include "app/sealed_secrets.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "app/connections.h"

namespace leadline::app {
namespace {

using common::Result;
using common::Status;

// A connection's sealed secrets, each with what it is for people.
struct Sealed {
  std::string connection;
  std::string what;  // "credentials", "webhook secret"
  std::string text;
};

Result<std::vector<Sealed>> LoadSealed(store::Store& store) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Connection> connections,
                            store.connections().LoadConnections());
  std::vector<Sealed> out;
  for (const model::Connection& connection : connections) {
    if (!connection.sealed_secret.empty()) {
      out.push_back({connection.name, "credentials", connection.sealed_secret});
    }
    LEADLINE_ASSIGN_OR_RETURN(std::string webhook,
                              store.connections().LoadWebhookSecret(connection.id));
    if (!webhook.empty()) out.push_back({connection.name, "webhook secret", std::move(webhook)});
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::ChangeEventService> senders,
                            store.change_events().LoadChangeEventServices());
  for (const store::ChangeEventService& sender : senders) {
    const auto connection =
        std::find_if(connections.begin(), connections.end(),
                     [&](const model::Connection& c) { return c.id == sender.connection_id; });
    out.push_back(
        {connection == connections.end() ? std::to_string(sender.connection_id) : connection->name,
         "change events routing key of service " + sender.service_id, sender.sealed_routing_key});
  }
  LEADLINE_ASSIGN_OR_RETURN(const auto looker, store.analytics().LoadLookerConnection());
  if (looker) out.push_back({"Looker", "client secret", looker->sealed_secret});
  return out;
}

// Ok when `box` opens every one of `sealed`; `key` says where the key came from.
Status CheckOpen(const std::vector<Sealed>& sealed, const auth::SecretBox& box,
                 const std::string& key) {
  for (const Sealed& secret : sealed) {
    if (box.Open(secret.text).ok()) continue;
    return Status::FailedPrecondition(
        "the " + secret.what + " of connection " + secret.connection + " cannot be opened with " +
        key +
        ": the key changed since they were sealed; restore the key they were sealed with (the "
        "key file from the store's backup, or " +
        auth::kSecretKeyVariable + ")");
  }
  return Status::Ok();
}

}  // namespace

Status CheckSealedSecrets(store::Store& store, const auth::SecretBox& box) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<Sealed> sealed, LoadSealed(store));
  return CheckOpen(sealed, box, "the server's key");
}

Result<auth::SecretBox> OpenCheckedKey(store::Store& store, const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<Sealed> sealed, LoadSealed(store));
  const std::string key_file = paths.key_file;
  const char* variable = std::getenv(auth::kSecretKeyVariable);
  const bool from_variable = variable != nullptr && *variable != '\0';
  std::error_code error;
  if (!sealed.empty() && !from_variable && !std::filesystem::exists(key_file, error)) {
    return Status::FailedPrecondition(
        "the key file '" + key_file + "' is missing, but the store holds secrets sealed with it (" +
        sealed.front().what + " of connection " + sealed.front().connection +
        "): restore the file from the store's backup, or set " + auth::kSecretKeyVariable +
        " to the key they were sealed with");
  }
  LEADLINE_ASSIGN_OR_RETURN(auth::SecretBox box,
                            auth::SecretBox::FromEnvironmentOrKeyFile(key_file));
  LEADLINE_RETURN_IF_ERROR(CheckOpen(
      sealed, box,
      from_variable ? std::string(auth::kSecretKeyVariable) : "the key file '" + key_file + "'"));
  return box;
}

}  // namespace leadline::app
