// The ways upstreams prove that a webhook delivery is theirs, for every connector's decoder
// (webhook_decoder.h): Bitbucket's `X-Hub-Signature: sha256=<hex HMAC-SHA256(raw body, secret)>`
// (Cloud and Data Center alike); the Standard Webhooks signature (GitLab's signing token,
// incident.io through Svix); PagerDuty's v3 `X-PagerDuty-Signature`; and a plain shared token
// (GitLab's `X-Gitlab-Token`). Every
// comparison runs in constant time. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/time.h"

namespace leadline::sources {

// "sha256=<64 lowercase hex digits>" for `body` under `secret`.
std::string SignHubSignature(std::string_view body, std::string_view secret);

// Whether `header` is a valid signature of `body` under `secret`. A missing, malformed or
// differently-algorithmed header is not.
bool VerifyHubSignature(std::string_view header, std::string_view body, std::string_view secret);

// A new random webhook secret: 32 bytes as 64 hex digits.
std::string NewWebhookSecret();

// Whether two secrets are equal, in a time that tells nothing of where they differ nor of their
// lengths (both are hashed first). An empty `expected` matches nothing.
bool SecretsEqual(std::string_view given, std::string_view expected);

// Standard Webhooks (standardwebhooks.com): `webhook-signature` is a space-separated list of
// "v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">" (several while a secret
// rotates). The key is the secret's bytes, or for a "whsec_<base64>" secret the decoded bytes.
enum class StandardSignature {
  kValid,
  kMalformed,    // a timestamp that is not a number, or no "v1," entry
  kMismatch,     // no entry matches
  kOutOfWindow,  // the timestamp is further than the tolerance from now (a replay)
};
inline constexpr common::Seconds kStandardWebhookTolerance = 5 * common::kMinute;

StandardSignature VerifyStandardWebhook(std::string_view id, std::string_view timestamp,
                                        std::string_view signatures, std::string_view body,
                                        std::string_view secret, common::UnixSeconds now,
                                        common::Seconds tolerance = kStandardWebhookTolerance);

// PagerDuty webhooks v3: `X-PagerDuty-Signature` is a comma-separated list of
// "v1=<hex HMAC-SHA256(raw body, secret)>" (several while a secret rotates); any match is valid.
enum class PagerDutySignature {
  kValid,
  kMalformed,  // no "v1=" entry
  kMismatch,   // no entry matches
};
PagerDutySignature VerifyPagerDutySignature(std::string_view header, std::string_view body,
                                            std::string_view secret);
// "v1=<hex>" for `body`; what PagerDuty puts in the header (tests, doubles).
std::string SignPagerDutyWebhook(std::string_view body, std::string_view secret);

// "v1,<base64>" for the delivery; what a sender puts in `webhook-signature` (tests, doubles).
std::string SignStandardWebhook(std::string_view id, std::string_view timestamp,
                                std::string_view body, std::string_view secret);

}  // namespace leadline::sources
