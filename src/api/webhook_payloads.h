// What a Bitbucket webhook payload is about: the repository its event names, read the same way at
// intake (which keeps it with the delivery) and when an older delivery is applied. Pure functions.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace leadline::api {

// Whether Leadline uses deliveries of `event_key` (pushes, pull requests, commit statuses).
bool IsUsedEvent(const std::string& event_key);

// The repository the payload names: Cloud's "repository.full_name" ("acme/api"), Data Center's
// "PROJ/slug" (the repository, or a pull request's target); empty when it names none.
std::string RepositoryOf(const std::string& event_key, const nlohmann::json& body);

}  // namespace leadline::api
