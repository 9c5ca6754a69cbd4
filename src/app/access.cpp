#include "app/access.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>

#include "common/time.h"
#include "store/store.h"

namespace leadline::app {

using common::Result;
using common::Status;

Result<ProjectView> SaveProject(const config::Paths& paths, const std::string& name,
                                const std::vector<std::string>& patterns) {
  if (name.empty()) return Status::InvalidArgument("a project needs a name");
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                            store->LoadConnectedRepositories());
  model::Project project{0, name, {}};
  ProjectView view{name, {}};
  for (const std::string& pattern : patterns) {
    bool matched = false;
    for (const model::Repository& repo : repos) {
      if (fnmatch(pattern.c_str(), repo.location.c_str(), 0) != 0) continue;
      matched = true;
      if (std::find(project.repository_ids.begin(), project.repository_ids.end(), repo.id) ==
          project.repository_ids.end()) {
        project.repository_ids.push_back(repo.id);
        view.repositories.push_back(repo.location);
      }
    }
    if (!matched) {
      return Status::NotFound("no connected repository matches '" + pattern +
                              "' (`leadline repos list` shows them)");
    }
  }
  store::Transaction transaction(*store);
  LEADLINE_RETURN_IF_ERROR(transaction.Begin());
  LEADLINE_RETURN_IF_ERROR(store->SaveProject(project).status());
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return view;
}

Result<std::vector<ProjectView>> ListProjects(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                            store->LoadConnectedRepositories());
  std::map<std::int64_t, std::string> locations;
  for (const model::Repository& repo : repos) locations.emplace(repo.id, repo.location);
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Project> projects, store->LoadProjects());
  std::vector<ProjectView> out;
  for (const model::Project& project : projects) {
    ProjectView view{project.name, {}};
    for (std::int64_t id : project.repository_ids) view.repositories.push_back(locations[id]);
    out.push_back(std::move(view));
  }
  return out;
}

Status DeleteProject(const config::Paths& paths, const std::string& name) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::ApiToken> tokens, store->LoadApiTokens());
  for (const model::ApiToken& token : tokens) {
    if (token.revoked_at) continue;
    if (std::find(token.projects.begin(), token.projects.end(), name) != token.projects.end()) {
      return Status::FailedPrecondition("the token '" + token.name + "' is scoped to project '" +
                                        name + "': revoke it first (`leadline tokens revoke " +
                                        token.name + "`)");
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(const bool deleted, store->DeleteProject(name));
  if (!deleted) return Status::NotFound("no project '" + name + "'");
  return Status::Ok();
}

Result<auth::MintedToken> CreateToken(const config::Paths& paths, const TokenRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Project> projects, store->LoadProjects());
  std::vector<std::string> known;
  for (const model::Project& project : projects) known.push_back(project.name);
  LEADLINE_ASSIGN_OR_RETURN(auth::MintedToken minted,
                            auth::MintToken(request.name, request.scopes, request.projects, known,
                                            request.expires_in, common::NowUnixSeconds()));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::ApiToken> tokens, store->LoadApiTokens());
  for (const model::ApiToken& token : tokens) {
    if (token.name == request.name && !token.revoked_at) {
      return Status::FailedPrecondition(
          "a token named '" + request.name +
          "' exists; to rotate, create the new one under another name, then revoke the old");
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(minted.token.id, store->InsertApiToken(minted.token));
  return minted;
}

Result<std::vector<model::ApiToken>> ListTokens(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  return store->LoadApiTokens();
}

Result<AuditView> ListAudit(const config::Paths& paths, std::size_t limit) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  AuditView view;
  LEADLINE_ASSIGN_OR_RETURN(view.entries, store->LoadAudit(limit));
  LEADLINE_ASSIGN_OR_RETURN(view.refusals, store->LoadAuditRefusals(limit));
  return view;
}

Status RevokeToken(const config::Paths& paths, const std::string& name) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const bool revoked,
                            store->RevokeApiToken(name, common::NowUnixSeconds()));
  if (!revoked) return Status::NotFound("no unrevoked token named '" + name + "'");
  return Status::Ok();
}

common::Result<std::vector<model::PersonSession>> ListSessions(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  return store->LoadSessions(common::NowUnixSeconds());
}

common::Result<std::int64_t> RevokeSessions(const config::Paths& paths, const std::string& target) {
  if (target.empty()) return common::Status::InvalidArgument("name a session id or a person");
  std::optional<std::int64_t> id;
  if (target.size() <= 18 &&
      std::all_of(target.begin(), target.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    id = std::stoll(target);
  }
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t revoked,
                            store->RevokeSessions(id, target, common::NowUnixSeconds()));
  if (revoked == 0) {
    return common::Status::NotFound("no live session " +
                                    (id ? "with id " + target : "of '" + target + "'") +
                                    " (`leadline sessions list` shows them)");
  }
  return revoked;
}

}  // namespace leadline::app
