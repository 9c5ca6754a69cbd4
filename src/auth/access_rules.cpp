#include "auth/access_rules.h"

#include <fnmatch.h>

#include <algorithm>

namespace leadline::auth {

common::Result<model::Project> ProjectFromPatterns(const std::string& name,
                                                   const std::vector<std::string>& patterns,
                                                   const std::vector<model::Repository>& repos,
                                                   std::vector<std::string>* locations) {
  if (name.empty()) return common::Status::InvalidArgument("a project needs a name");
  model::Project project{0, name, {}};
  for (const std::string& pattern : patterns) {
    bool matched = false;
    for (const model::Repository& repo : repos) {
      if (fnmatch(pattern.c_str(), repo.location.c_str(), 0) != 0) continue;
      matched = true;
      if (std::find(project.repository_ids.begin(), project.repository_ids.end(), repo.id) ==
          project.repository_ids.end()) {
        project.repository_ids.push_back(repo.id);
        if (locations != nullptr) locations->push_back(repo.location);
      }
    }
    if (!matched) {
      return common::Status::NotFound("no connected repository matches '" + pattern +
                                      "' (`leadline repos list` shows them)");
    }
  }
  return project;
}

common::Status CheckProjectDeletable(const std::string& name,
                                     const std::vector<model::ApiToken>& tokens) {
  for (const model::ApiToken& token : tokens) {
    if (token.revoked_at) continue;
    if (std::find(token.projects.begin(), token.projects.end(), name) != token.projects.end()) {
      return common::Status::FailedPrecondition(
          "the token '" + token.name + "' is scoped to project '" + name +
          "': revoke it first (`leadline tokens revoke " + token.name + "`)");
    }
  }
  return common::Status::Ok();
}

common::Status CheckTokenNameFree(const std::string& name,
                                  const std::vector<model::ApiToken>& tokens) {
  for (const model::ApiToken& token : tokens) {
    if (token.name == name && !token.revoked_at) {
      return common::Status::FailedPrecondition(
          "a token named '" + name +
          "' exists; to rotate, create the new one under another name, then revoke the old");
    }
  }
  return common::Status::Ok();
}

std::vector<std::string> ProjectNames(const std::vector<model::Project>& projects) {
  std::vector<std::string> names;
  for (const model::Project& project : projects) names.push_back(project.name);
  return names;
}

}  // namespace leadline::auth
