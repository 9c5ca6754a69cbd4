#include "auth/roles.h"

#include <algorithm>
#include <set>

namespace leadline::auth {

const char* NameOf(AccessLevel level) { return level == AccessLevel::kAdmin ? "admin" : "viewer"; }

std::optional<AccessLevel> AccessLevelNamed(const std::string& name) {
  if (name == "viewer") return AccessLevel::kViewer;
  if (name == "admin") return AccessLevel::kAdmin;
  return std::nullopt;
}

std::vector<std::string> ScopesOf(AccessLevel level) {
  if (level == AccessLevel::kAdmin) return {"read", "write:events", "admin"};
  return {"read"};
}

std::optional<PersonAccess> ResolveRoles(const std::vector<std::string>& claim_values,
                                         const std::vector<RoleRule>& rules) {
  const std::set<std::string> held(claim_values.begin(), claim_values.end());
  PersonAccess access;
  bool every_project = false;
  for (const RoleRule& rule : rules) {
    if (!held.contains(rule.value)) continue;
    access.roles.push_back(rule.value);
    access.level = std::max(access.level, rule.level);
    for (const std::string& project : rule.projects) {
      if (project == "*") {
        every_project = true;
      } else if (std::find(access.projects.begin(), access.projects.end(), project) ==
                 access.projects.end()) {
        access.projects.push_back(project);
      }
    }
  }
  if (access.roles.empty()) return std::nullopt;
  if (every_project) access.projects.clear();
  return access;
}

common::Status CheckRoleRules(const std::vector<RoleRule>& rules) {
  std::set<std::string> values;
  for (const RoleRule& rule : rules) {
    if (rule.value.empty()) {
      return common::Status::InvalidArgument("a [[roles]] entry has no value (the claim value)");
    }
    if (!values.insert(rule.value).second) {
      return common::Status::InvalidArgument("[[roles]] name the value '" + rule.value + "' twice");
    }
    if (rule.projects.empty()) {
      return common::Status::InvalidArgument("the role for '" + rule.value +
                                             "' names no projects (\"*\" means every project)");
    }
    const bool every =
        std::find(rule.projects.begin(), rule.projects.end(), "*") != rule.projects.end();
    if (every && rule.projects.size() > 1) {
      return common::Status::InvalidArgument("the role for '" + rule.value +
                                             "' names \"*\" beside other projects");
    }
  }
  return common::Status::Ok();
}

}  // namespace leadline::auth
