// The rules of managing access, shared by the CLI (`leadline projects|tokens`, app/access.h) and
// the admin API (api/admin_routes.h): which repositories a project's patterns name, when a
// project may be deleted, when a token name is free. Pure functions over values the caller
// loads; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "model/access.h"
#include "model/repository.h"

namespace leadline::auth {

// The project `name` over the connected repositories matching any of `patterns` (fnmatch on
// "workspace/slug"), each once; `locations` gets their locations in that order. NotFound naming
// the first pattern that matches no repository; InvalidArgument for an empty name.
common::Result<model::Project> ProjectFromPatterns(const std::string& name,
                                                   const std::vector<std::string>& patterns,
                                                   const std::vector<model::Repository>& repos,
                                                   std::vector<std::string>* locations);

// FailedPrecondition while an unrevoked token is scoped to the project.
common::Status CheckProjectDeletable(const std::string& name,
                                     const std::vector<model::ApiToken>& tokens);

// FailedPrecondition while an unrevoked token has that name.
common::Status CheckTokenNameFree(const std::string& name,
                                  const std::vector<model::ApiToken>& tokens);

std::vector<std::string> ProjectNames(const std::vector<model::Project>& projects);

}  // namespace leadline::auth
