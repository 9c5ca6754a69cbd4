// What a Bitbucket webhook payload is about, read the same way at intake (which keeps the
// repository with the delivery) and when an older delivery is applied. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace leadline::sources::bitbucket {

// Whether Leadline uses deliveries of `event_key` (pushes, pull requests, commit statuses).
bool IsUsedEvent(const std::string& event_key);

struct WebhookPayload {
  bool is_json = false;    // the body is one valid JSON text
  bool has_shape = false;  // a JSON object with what its event needs (see ReadPayload)
  // Cloud's "repository.full_name" ("acme/api"), or Data Center's "PROJ/slug" (the repository,
  // or a pull request's target); empty when it names none.
  std::string repository;
};

// Reads `body` (with simdjson, webhook_json.h). What an event needs: Cloud's pushes, pull
// requests and statuses a "repository" with a string "full_name"; Data Center's
// "repo:refs_changed" a "repository" with a "slug", and its "pr:" events a "pullRequest" with a
// "toRef". Events Leadline does not use (pings among them) need only be an object.
WebhookPayload ReadPayload(const std::string& event_key, std::string_view body);

}  // namespace leadline::sources::bitbucket
