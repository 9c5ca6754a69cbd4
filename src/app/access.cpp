#include "app/access.h"

#include <algorithm>
#include <map>

#include "auth/access_rules.h"
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
                            store->repositories().LoadConnectedRepositories());
  ProjectView view{name, {}};
  LEADLINE_ASSIGN_OR_RETURN(const model::Project project,
                            auth::ProjectFromPatterns(name, patterns, repos, &view.repositories));
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store->Begin());
  LEADLINE_RETURN_IF_ERROR(store->access().SaveProject(project).status());
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return view;
}

Result<std::vector<ProjectView>> ListProjects(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                            store->repositories().LoadConnectedRepositories());
  std::map<std::int64_t, std::string> locations;
  for (const model::Repository& repo : repos) locations.emplace(repo.id, repo.location);
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Project> projects,
                            store->access().LoadProjects());
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
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::ApiToken> tokens,
                            store->access().LoadApiTokens());
  LEADLINE_RETURN_IF_ERROR(auth::CheckProjectDeletable(name, tokens));
  LEADLINE_ASSIGN_OR_RETURN(const bool deleted, store->access().DeleteProject(name));
  if (!deleted) return Status::NotFound("no project '" + name + "'");
  return Status::Ok();
}

Result<auth::MintedToken> CreateToken(const config::Paths& paths, const TokenRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Project> projects,
                            store->access().LoadProjects());
  LEADLINE_ASSIGN_OR_RETURN(
      auth::MintedToken minted,
      auth::MintToken(request.name, request.scopes, request.projects, auth::ProjectNames(projects),
                      request.expires_in, common::NowUnixSeconds()));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::ApiToken> tokens,
                            store->access().LoadApiTokens());
  LEADLINE_RETURN_IF_ERROR(auth::CheckTokenNameFree(request.name, tokens));
  LEADLINE_ASSIGN_OR_RETURN(minted.token.id, store->access().InsertApiToken(minted.token));
  return minted;
}

Result<std::vector<model::ApiToken>> ListTokens(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  return store->access().LoadApiTokens();
}

Result<AuditView> ListAudit(const config::Paths& paths, std::size_t limit) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  AuditView view;
  LEADLINE_ASSIGN_OR_RETURN(view.entries, store->audit().LoadAudit(limit));
  LEADLINE_ASSIGN_OR_RETURN(view.refusals, store->audit().LoadAuditRefusals(limit));
  return view;
}

Status RevokeToken(const config::Paths& paths, const std::string& name) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const bool revoked,
                            store->access().RevokeApiToken(name, common::NowUnixSeconds()));
  if (!revoked) return Status::NotFound("no unrevoked token named '" + name + "'");
  return Status::Ok();
}

common::Result<std::vector<model::PersonSession>> ListSessions(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  return store->sessions().LoadSessions(common::NowUnixSeconds());
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
                            store->sessions().RevokeSessions(id, target, common::NowUnixSeconds()));
  if (revoked == 0) {
    return common::Status::NotFound("no live session " +
                                    (id ? "with id " + target : "of '" + target + "'") +
                                    " (`leadline sessions list` shows them)");
  }
  return revoked;
}

}  // namespace leadline::app
