#include "config/identity_settings.h"

#include "config/toml_values.h"

namespace leadline::config {

using common::Result;
using common::Status;

// [[ci_trust]]: which CI jobs may push with their OIDC tokens (auth/ci_trust.h).
Status ReadCiTrust(const std::string& path, const toml::node& node,
                   std::vector<auth::CiTrustRule>& rules) {
  const toml::array* array = node.as_array();
  if (array == nullptr) return Error(path, node, "ci_trust", "expected [[ci_trust]] tables");
  for (const toml::node& element : *array) {
    const toml::table* table = element.as_table();
    if (table == nullptr) return Error(path, element, "ci_trust", "expected [[ci_trust]] tables");
    auth::CiTrustRule rule;
    for (const auto& [name, value] : *table) {
      const std::string key = "ci_trust." + std::string(name.str());
      if (name == "provider") {
        LEADLINE_ASSIGN_OR_RETURN(rule.provider, String(path, value, key));
      } else if (name == "issuer") {
        LEADLINE_ASSIGN_OR_RETURN(rule.issuer, String(path, value, key));
      } else if (name == "audiences") {
        LEADLINE_ASSIGN_OR_RETURN(rule.audiences, Strings(path, value, key));
      } else if (name == "key_set_url") {
        LEADLINE_ASSIGN_OR_RETURN(rule.key_set_url, String(path, value, key));
      } else if (name == "algorithms") {
        LEADLINE_ASSIGN_OR_RETURN(rule.algorithms, Strings(path, value, key));
      } else if (name == "require_protected_ref") {
        LEADLINE_ASSIGN_OR_RETURN(rule.require_protected_ref, Bool(path, value, key));
      } else if (name == "environments") {
        LEADLINE_ASSIGN_OR_RETURN(rule.environments, Strings(path, value, key));
      } else if (name == "branches") {
        LEADLINE_ASSIGN_OR_RETURN(rule.branches, Strings(path, value, key));
      } else if (name == "allow_incidents") {
        LEADLINE_ASSIGN_OR_RETURN(rule.allow_incidents, Bool(path, value, key));
      } else {
        return Error(path, value, key,
                     "unknown (known: provider, issuer, audiences, key_set_url, algorithms, "
                     "require_protected_ref, environments, branches, allow_incidents)");
      }
    }
    rules.push_back(std::move(rule));
  }
  const Status checked = auth::CheckCiTrustRules(rules);
  if (!checked.ok()) return Status::InvalidArgument(path + ": " + checked.message());
  return Status::Ok();
}

// [oidc]: the OpenID Provider people sign in with.
Status ReadOidc(const std::string& path, const toml::table& table, auth::OidcSettings& settings) {
  for (const auto& [name, value] : table) {
    const std::string key = "oidc." + std::string(name.str());
    const std::string_view field = name.str();
    if (field == "issuer") {
      LEADLINE_ASSIGN_OR_RETURN(settings.issuer, String(path, value, key));
    } else if (field == "client_id") {
      LEADLINE_ASSIGN_OR_RETURN(settings.client_id, String(path, value, key));
    } else if (field == "client_secret_file") {
      LEADLINE_ASSIGN_OR_RETURN(settings.client_secret_file, String(path, value, key));
    } else if (field == "scopes") {
      LEADLINE_ASSIGN_OR_RETURN(settings.scopes, Strings(path, value, key));
    } else if (field == "redirect_url") {
      LEADLINE_ASSIGN_OR_RETURN(settings.redirect_url, String(path, value, key));
    } else if (field == "roles_claim") {
      LEADLINE_ASSIGN_OR_RETURN(settings.roles_claim, String(path, value, key));
    } else if (field == "display_name") {
      LEADLINE_ASSIGN_OR_RETURN(settings.display_name, String(path, value, key));
    } else if (field == "contact") {
      LEADLINE_ASSIGN_OR_RETURN(settings.contact, String(path, value, key));
    } else if (field == "algorithms") {
      LEADLINE_ASSIGN_OR_RETURN(settings.algorithms, Strings(path, value, key));
    } else if (field == "session_lifetime") {
      LEADLINE_ASSIGN_OR_RETURN(settings.session_lifetime, Duration(path, value, key));
    } else if (field == "default_projects") {
      LEADLINE_ASSIGN_OR_RETURN(settings.default_projects, Strings(path, value, key));
    } else if (field == "session_idle") {
      LEADLINE_ASSIGN_OR_RETURN(settings.session_idle, Duration(path, value, key));
    } else {
      return Error(path, value, key,
                   "unknown (known: issuer, client_id, client_secret_file, scopes, redirect_url, "
                   "roles_claim, display_name, contact, algorithms, session_lifetime, "
                   "session_idle, default_projects)");
    }
  }
  return Status::Ok();
}

// [[roles]]: value = "...", projects = [...], level = "viewer" | "admin".
Status ReadRoles(const std::string& path, const toml::node& node,
                 std::vector<auth::RoleRule>& roles) {
  const toml::array* array = node.as_array();
  if (array == nullptr) return Error(path, node, "roles", "expected [[roles]] tables");
  for (const toml::node& element : *array) {
    const toml::table* table = element.as_table();
    if (table == nullptr) return Error(path, element, "roles", "expected [[roles]] tables");
    auth::RoleRule role;
    for (const auto& [name, value] : *table) {
      const std::string key = "roles." + std::string(name.str());
      const std::string_view field = name.str();
      if (field == "value") {
        LEADLINE_ASSIGN_OR_RETURN(role.value, String(path, value, key));
      } else if (field == "projects") {
        LEADLINE_ASSIGN_OR_RETURN(role.projects, Strings(path, value, key));
      } else if (field == "level") {
        LEADLINE_ASSIGN_OR_RETURN(const std::string level, String(path, value, key));
        const std::optional<auth::AccessLevel> named = auth::AccessLevelNamed(level);
        if (!named) return Error(path, value, key, "expected \"viewer\" or \"admin\"");
        role.level = *named;
      } else {
        return Error(path, value, key, "unknown (known: value, projects, level)");
      }
    }
    roles.push_back(std::move(role));
  }
  return Status::Ok();
}

}  // namespace leadline::config
