#include "cli/bi_command.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>

#include "app/connections.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "store/postgres/analytics_roles.h"
#include "store/store.h"
#include "store/store_url.h"

namespace leadline::cli {
namespace {

namespace pg = store::postgres;

struct BiFlags {
  StoreOptions store;
  std::string role;
  std::string projects;  // P1,P2
  std::string password_file;
};

// The store's own connection, once its schema is this build's: roles exist on PostgreSQL only.
common::Result<std::unique_ptr<pg::PgConnection>> OpenRoleConnection(const BiFlags& flags) {
  LEADLINE_ASSIGN_OR_RETURN(const store::StoreUrl url,
                            store::ParseStoreUrl(flags.store.paths.store));
  if (url.engine != store::sql::Engine::kPostgres) {
    return common::Status::FailedPrecondition(
        "BI roles are PostgreSQL roles, and the store " + url.display +
        " is SQLite: copy it to PostgreSQL (`leadline store copy`) to give BI tools roles");
  }
  // Refuses a store whose schema (row-level security: migration 13) is not this build's.
  LEADLINE_RETURN_IF_ERROR(store::OpenStore(flags.store.paths.store).status());
  return pg::PgConnection::Open(url.target, url.display);
}

common::Status Grant(const BiFlags& flags) {
  LEADLINE_RETURN_IF_ERROR(pg::CheckAnalyticsRoleName(flags.role));
  if (flags.projects.size() > 64 * 1024) {
    return common::Status::InvalidArgument("--projects is over 64 KiB");
  }
  std::set<std::string> wanted;
  for (std::size_t at = 0; at <= flags.projects.size();) {
    const std::size_t comma = std::min(flags.projects.find(',', at), flags.projects.size());
    if (comma > at) wanted.insert(flags.projects.substr(at, comma - at));
    at = comma + 1;
  }
  if (wanted.empty()) return common::Status::InvalidArgument("--projects names no project");
  std::optional<std::string> password;
  if (!flags.password_file.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(password, app::ReadSecretFile(flags.password_file));
    if (password->size() > 1024) {
      return common::Status::InvalidArgument("the password file's line is over 1024 bytes");
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<pg::PgConnection> db, OpenRoleConnection(flags));
  {
    LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                              store::OpenStore(flags.store.paths.store));
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Project> known,
                              store->access().LoadProjects());
    for (const std::string& project : wanted) {
      if (std::none_of(known.begin(), known.end(),
                       [&](const model::Project& p) { return p.name == project; })) {
        return common::Status::NotFound("no project '" + project.substr(0, 200) + "'");
      }
    }
  }
  const std::vector<std::string> projects(wanted.begin(), wanted.end());
  LEADLINE_RETURN_IF_ERROR(pg::GrantAnalyticsRole(*db, flags.role, projects, password));
  std::string names;
  for (const std::string& project : projects) names += (names.empty() ? "" : ", ") + project;
  std::printf("BI role %s reads the analytics rows of: %s%s.\n", flags.role.c_str(), names.c_str(),
              password ? " (password set; it may log in)" : "");
  return common::Status::Ok();
}

common::Status Revoke(const BiFlags& flags) {
  LEADLINE_RETURN_IF_ERROR(pg::CheckAnalyticsRoleName(flags.role));
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<pg::PgConnection> db, OpenRoleConnection(flags));
  LEADLINE_RETURN_IF_ERROR(pg::RevokeAnalyticsRole(*db, flags.role));
  std::printf("BI role %s dropped.\n", flags.role.c_str());
  return common::Status::Ok();
}

common::Status List(const BiFlags& flags) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<pg::PgConnection> db, OpenRoleConnection(flags));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<pg::AnalyticsRole> roles,
                            pg::ListAnalyticsRoles(*db));
  if (roles.empty()) std::printf("No BI roles; make one with `leadline bi grant`.\n");
  for (const pg::AnalyticsRole& role : roles) {
    std::string names;
    for (const std::string& project : role.projects) {
      names += (names.empty() ? "" : ",") + project;
    }
    std::printf("%s\t%s\t%s\n", role.name.c_str(), names.c_str(),
                role.can_log_in ? "login" : "nologin");
  }
  return common::Status::Ok();
}

}  // namespace

std::function<int()> AddBiCommands(CLI::App& app) {
  CLI::App* bi = app.add_subcommand(
      "bi",
      "PostgreSQL roles BI tools read the analytics tables with, each seeing only its "
      "projects' rows (docs/bi.md)");
  bi->require_subcommand(1);
  auto grant_flags = std::make_shared<BiFlags>();
  CLI::App* grant = bi->add_subcommand(
      "grant", "Create or update a read-only role that sees only these projects' rows");
  AddStoreOptions(grant, &grant_flags->store);
  grant->add_option("--role", grant_flags->role, "The role's name (a-z, 0-9, _)")->required();
  grant->add_option("--projects", grant_flags->projects, "The projects it sees: P1,P2")->required();
  grant->add_option("--password-file", grant_flags->password_file,
                    "A file whose first line is the role's password: it may then log in "
                    "(without it a new role cannot; members reach it with SET ROLE)");
  auto revoke_flags = std::make_shared<BiFlags>();
  CLI::App* revoke = bi->add_subcommand("revoke", "Drop a role `bi grant` made");
  AddStoreOptions(revoke, &revoke_flags->store);
  revoke->add_option("--role", revoke_flags->role, "The role's name")->required();
  auto list_flags = std::make_shared<BiFlags>();
  CLI::App* roles = bi->add_subcommand("roles", "The roles `bi grant` made and their projects");
  AddStoreOptions(roles, &list_flags->store);
  return [=]() {
    common::Status status;
    if (grant->parsed()) {
      status = Grant(*grant_flags);
    } else if (revoke->parsed()) {
      status = Revoke(*revoke_flags);
    } else if (roles->parsed()) {
      status = List(*list_flags);
    } else {
      return -1;
    }
    return status.ok() ? 0 : ReportError(status);
  };
}

}  // namespace leadline::cli
