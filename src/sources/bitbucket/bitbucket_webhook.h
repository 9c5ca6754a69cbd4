// Bitbucket's webhook deliveries, Cloud and Data Center alike (webhook_decoder.h): signed with
// `X-Hub-Signature: sha256=...` under the connection's webhook secret; deduplicated on the
// delivery's id (`X-Request-UUID`, Data Center `X-Request-Id`), which its retries keep; the event
// in `X-Event-Key`, the attempt in `X-Attempt-Number`; the repository read by webhook_payloads.h.
// Hooks are registered at the shared /v1/bitbucket/webhook, where they always were.
// Stateless; thread-safe.
#pragma once

#include "sources/contract/webhook_decoder.h"

namespace leadline::sources::bitbucket {

class BitbucketWebhookDecoder final : public WebhookDecoder {
 public:
  std::optional<WebhookRefusal> Verify(const WebhookRequest& request,
                                       std::string_view secret) const override;
  std::optional<WebhookRefusal> Decode(const WebhookRequest& request,
                                       DecodedDelivery& delivery) const override;
  std::optional<std::string> NotApplied(const std::string& event_key) const override;
  std::string RepositoryOf(const std::string& event_key, std::string_view body) const override;
  // /v1/bitbucket/webhook, and the aliases /v1/bitbucket/webhook/repository and
  // /v1/bitbucket/webhook/merge-request.
  std::vector<std::string> SharedPaths() const override;
};

}  // namespace leadline::sources::bitbucket
