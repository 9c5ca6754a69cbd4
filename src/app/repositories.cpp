#include "app/repositories.h"

#include <fnmatch.h>

#include "app/connections.h"
#include "sources/registry/registry.h"
#include "store/store.h"

namespace leadline::app {
namespace {

using common::Result;
using common::Status;

// Every repository one connection can see; errors name the connection.
Result<std::vector<model::Repository>> FetchRepositories(http::HttpClient& client,
                                                         const model::Connection& connection,
                                                         const std::string& secret) {
  LEADLINE_ASSIGN_OR_RETURN(const sources::Connector* connector,
                            sources::ConnectorFor(connection.provider));
  auto repos = connector->ListRepositories(client, SettingsFor(connection, secret));
  if (!repos.ok()) return repos.status().WithContext(connection.name);
  for (model::Repository& repo : *repos) repo.connection_id = connection.id;
  return repos;
}

}  // namespace

Result<std::vector<model::Repository>> SelectedRepositories(store::Store& store,
                                                            const std::string& pattern) {
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Repository> repos,
                            store.repositories().LoadConnectedRepositories());
  std::erase_if(repos, [&](const model::Repository& repo) {
    return !repo.selected ||
           (!pattern.empty() && fnmatch(pattern.c_str(), repo.location.c_str(), 0) != 0);
  });
  if (repos.empty()) {
    return Status::NotFound(pattern.empty()
                                ? "no repository is selected: run `leadline repos list`, then "
                                  "`leadline repos select PATTERN`"
                                : "no selected repository matches '" + pattern + "'");
  }
  return repos;
}

Result<std::vector<model::Repository>> StoredRepositories(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  return store->repositories().LoadConnectedRepositories();
}

Result<std::vector<model::Repository>> RefreshRepositories(const config::Paths& paths,
                                                           http::HttpClient& client) {
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(paths));
  store::Store& store = *opened.store;
  // Fetch everything before writing anything: a failure leaves the stored list as it was.
  std::vector<model::Repository> fetched;
  for (const model::Connection& connection : opened.connections) {
    auto secret = opened.box.Open(connection.sealed_secret);
    if (!secret.ok()) return secret.status().WithContext(connection.name);
    LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Repository> repos,
                              FetchRepositories(client, connection, *secret));
    fetched.insert(fetched.end(), repos.begin(), repos.end());
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> known,
                            store.repositories().LoadConnectedRepositories());
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
  // Known repositories missing from their connection's listing are kept (with their history and
  // selection), marked as no longer visible; upserting the listed ones marks them visible.
  for (const model::Repository& repo : known)
    LEADLINE_RETURN_IF_ERROR(store.repositories().SetVisible(repo.id, false));
  for (const model::Repository& repo : fetched) {
    LEADLINE_RETURN_IF_ERROR(store.repositories().UpsertRepository(repo).status());
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return store.repositories().LoadConnectedRepositories();
}

Result<std::vector<model::Repository>> SetSelection(const config::Paths& paths,
                                                    const std::vector<std::string>& patterns,
                                                    bool selected) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Repository> repos,
                            store->repositories().LoadConnectedRepositories());
  if (repos.empty()) {
    return Status::NotFound("no repositories are known yet: run `leadline repos list` first");
  }
  std::vector<model::Repository> changed;
  for (const std::string& pattern : patterns) {
    bool matched = false;
    for (model::Repository& repo : repos) {
      if (fnmatch(pattern.c_str(), repo.location.c_str(), 0) != 0) continue;
      matched = true;
      if (repo.selected != selected) {
        repo.selected = selected;
        changed.push_back(repo);
      }
    }
    if (!matched) {
      std::string known;
      for (std::size_t i = 0; i < repos.size() && i < 5; ++i) {
        known += (i ? ", " : "") + repos[i].location;
      }
      if (repos.size() > 5) known += ", ... (" + std::to_string(repos.size()) + " in all)";
      return Status::InvalidArgument("'" + pattern + "' matches no repository; known: " + known);
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store->Begin());
  for (const model::Repository& repo : changed) {
    LEADLINE_RETURN_IF_ERROR(store->repositories().SetSelected(repo.id, selected));
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return changed;
}

}  // namespace leadline::app
