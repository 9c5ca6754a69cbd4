// What a signed-in person may do: `[[roles]]` map one value of the provider's role claim (a
// group name, a Keycloak group path "/payments/backend", an Entra ID group's object id or an app
// role) to projects and a level. A person holds the union of the projects of every role whose
// value their claim carries, at the highest level among them; a person matching none is refused
// sign-in (strict). Values compare exactly: group names and GUIDs are what the provider sends.
//
// Pure functions over values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace leadline::auth {

enum class AccessLevel {
  kViewer,  // reads: the metrics, lists and the dashboard
  kAdmin,   // also pushes events and reads the integration status (the API's `admin` scope)
};

const char* NameOf(AccessLevel level);
std::optional<AccessLevel> AccessLevelNamed(const std::string& name);
// The API scopes a level holds (auth/api_tokens.h kScopes).
std::vector<std::string> ScopesOf(AccessLevel level);

struct RoleRule {
  std::string value;                  // the claim value that grants the role
  std::vector<std::string> projects;  // project names; "*" alone: every project
  AccessLevel level = AccessLevel::kViewer;
};

// What a person's claim values grant.
struct PersonAccess {
  std::vector<std::string> projects;  // empty: every project
  AccessLevel level = AccessLevel::kViewer;
  std::vector<std::string> roles;  // the values that matched, in the rules' order
};

// nullopt when no rule matches.
std::optional<PersonAccess> ResolveRoles(const std::vector<std::string>& claim_values,
                                         const std::vector<RoleRule>& rules);

// Each rule names a value and at least one project ("*" only alone); values are unique.
common::Status CheckRoleRules(const std::vector<RoleRule>& rules);

}  // namespace leadline::auth
