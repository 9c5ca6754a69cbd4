// What a provider tells the webhook route and the applier about its deliveries, so that neither
// names a provider: how a delivery proves it comes from the connection (a signature, a token),
// the key its retries share (deduplicated on in the inbox), its event, and the repository it is
// about. One decoder per provider, found through the registry (registry.h) by the connection's
// provider. Kept apart from Connector: the server's request threads need only this, never an
// HTTP client or the connection's credentials.
//
// Decoders are stateless; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"

namespace leadline::sources {

// A delivery as the route received it.
struct WebhookRequest {
  const std::map<std::string, std::string>& headers;  // names lowercased
  std::string_view body;
  common::UnixSeconds now = 0;

  std::string Header(const std::string& lowercase_name) const {
    const auto found = headers.find(lowercase_name);
    return found == headers.end() ? std::string() : found->second;
  }
};

// Why a delivery is refused: the HTTP status, a word for the metrics and audit ("unsigned",
// "bad_signature", "bad_delivery"), and a message that says what to fix.
struct WebhookRefusal {
  int status = 400;
  std::string reason;
  std::string message;
};

// What the inbox keeps of a delivery besides its body.
struct DecodedDelivery {
  std::string delivery_id;  // the key a delivery's retries share, and no other delivery
  std::string event_key;    // "pullrequest:updated", "Merge Request Hook"
  int attempt = 1;          // when the upstream says
  std::string repository;   // the location the payload names ("acme/api"); empty when none
};

class WebhookDecoder {
 public:
  virtual ~WebhookDecoder() = default;

  // nullopt when `request` comes from the holder of the connection's webhook `secret`; else a
  // 401 refusal ("unsigned" when the proof is missing, "bad_signature" when it is wrong). An
  // empty secret is held by no one: always a refusal.
  virtual std::optional<WebhookRefusal> Verify(const WebhookRequest& request,
                                               std::string_view secret) const = 0;

  // The delivery of a verified request, or a refusal: 400 without the headers a delivery needs
  // or with a body that is not JSON, 422 for JSON without what its event needs. Events Leadline
  // does not use are decoded (and recorded as ignored when applied), not refused.
  virtual std::optional<WebhookRefusal> Decode(const WebhookRequest& request,
                                               DecodedDelivery& delivery) const = 0;

  // For the applier: the outcome of a delivery of `event_key` that brings nothing to sync
  // ("applied: ping", "ignored: event key X is not used"); nullopt for the events it applies.
  virtual std::optional<std::string> NotApplied(const std::string& event_key) const = 0;
  // The repository a stored body names (deliveries stored before intake kept it); "" for none.
  virtual std::string RepositoryOf(const std::string& event_key, std::string_view body) const = 0;
  // Whether a delivery of `event_key` is applied by syncing its connection's incidents (an
  // incident tool's), rather than a repository.
  virtual bool SyncsIncidents(const std::string& /*event_key*/) const { return false; }

  // Paths that every connection of the provider shares, where the proof itself names the
  // connection (Bitbucket's "/v1/bitbucket/webhook", from before each connection had its own
  // "/v1/webhooks/<connection id>"); empty for none. Registration keeps pointing the provider's
  // hooks at the first, so that the hooks already out there are updated, never doubled.
  virtual std::vector<std::string> SharedPaths() const { return {}; }
};

}  // namespace leadline::sources
