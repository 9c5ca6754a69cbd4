// GitLab's webhook deliveries (project hooks), read as pure functions and served to the route
// and the applier as a WebhookDecoder (sources/contract/webhook_decoder.h):
//  - proof: `X-Gitlab-Token`, the secret token the hook was registered with, echoed in plain
//    text, compared in constant time; and when the Standard Webhooks headers are present
//    (GitLab's signing token), their signature too, with the connection's secret as the key and
//    the timestamp within five minutes;
//  - the event in `X-Gitlab-Event` ("Merge Request Hook"); the project in the body's
//    `project.path_with_namespace`, which is the repository's location;
//  - the key deduplicated on: see DeliveryKey.
// Pure functions and a stateless decoder; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/time.h"
#include "sources/contract/webhook_decoder.h"

namespace leadline::sources::gitlab {

// The headers of a delivery that Leadline reads.
struct HookHeaders {
  std::string event;                // X-Gitlab-Event
  std::string token;                // X-Gitlab-Token
  std::string idempotency_key;      // Idempotency-Key (GitLab 17.4+)
  std::string webhook_uuid;         // X-Gitlab-Webhook-UUID
  std::string signature_id;         // webhook-id
  std::string signature_timestamp;  // webhook-timestamp
  std::string signature;            // webhook-signature
};
HookHeaders ReadHookHeaders(const WebhookRequest& request);

enum class HookCheck {
  kOk,
  kNoToken,         // no X-Gitlab-Token
  kWrongToken,      // not the connection's secret
  kBadSignature,    // Standard Webhooks headers present but incomplete, malformed or wrong
  kStaleSignature,  // a signature whose timestamp is over five minutes from now
};
HookCheck CheckHook(const HookHeaders& headers, std::string_view body, std::string_view secret,
                    common::UnixSeconds now);

// The key a delivery's retries share, and no other delivery: `Idempotency-Key`, else the
// Standard Webhooks `webhook-id` (GitLab sends the same value), else `X-Gitlab-Webhook-UUID`.
// Not `X-Gitlab-Event-UUID`: GitLab gives it to every hook fired by one originating request (a
// push that updates a merge request fires a Push Hook and a Merge Request Hook with the same
// one), so deduplicating on it would drop distinct deliveries. X-Gitlab-Webhook-UUID is new for
// every request, retries included: without an Idempotency-Key (GitLab before 17.4) a retry is
// stored twice, which costs one more idempotent sync and loses nothing. "" when there is none.
std::string DeliveryKey(const HookHeaders& headers);

// Whether Leadline uses deliveries of `event`: Push Hook, Tag Push Hook, Merge Request Hook,
// Note Hook, Pipeline Hook, Deployment Hook.
bool IsUsedHookEvent(std::string_view event);

struct HookPayload {
  bool is_json = false;    // the body is one valid JSON text
  bool has_shape = false;  // an object; for the events Leadline uses, one naming its project
  std::string project;     // "project.path_with_namespace" ("acme/platform/api"); "" for none
};
HookPayload ReadHookPayload(std::string_view event, std::string_view body);

class GitLabWebhookDecoder final : public WebhookDecoder {
 public:
  std::optional<WebhookRefusal> Verify(const WebhookRequest& request,
                                       std::string_view secret) const override;
  std::optional<WebhookRefusal> Decode(const WebhookRequest& request,
                                       DecodedDelivery& delivery) const override;
  std::optional<std::string> NotApplied(const std::string& event_key) const override;
  std::string RepositoryOf(const std::string& event_key, std::string_view body) const override;
};

}  // namespace leadline::sources::gitlab
