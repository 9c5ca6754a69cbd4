#include "cli/access_commands.h"

#include <cstdio>
#include <memory>

#include "app/access.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "common/time.h"

namespace leadline::cli {
namespace {

struct AccessFlags {
  StoreOptions store;
  std::string name;
  std::vector<std::string> repos;
  std::vector<std::string> scopes;
  std::vector<std::string> projects;
  std::string expires;
  std::size_t limit = 50;
};

std::string Join(const std::vector<std::string>& items, const char* empty) {
  if (items.empty()) return empty;
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

int RunCreateProject(const AccessFlags& flags) {
  auto saved = app::SaveProject(flags.store.paths, flags.name, flags.repos);
  if (!saved.ok()) return ReportError(saved.status());
  std::printf("Project %s: %zu repositories (%s).\n", saved->name.c_str(),
              saved->repositories.size(), Join(saved->repositories, "none").c_str());
  return 0;
}

int RunListProjects(const AccessFlags& flags) {
  auto projects = app::ListProjects(flags.store.paths);
  if (!projects.ok()) return ReportError(projects.status());
  if (projects->empty()) std::printf("No projects; create one with `leadline projects create`.\n");
  for (const app::ProjectView& project : *projects) {
    std::printf("%-20s %s\n", project.name.c_str(), Join(project.repositories, "-").c_str());
  }
  return 0;
}

int RunDeleteProject(const AccessFlags& flags) {
  const common::Status deleted = app::DeleteProject(flags.store.paths, flags.name);
  if (!deleted.ok()) return ReportError(deleted);
  std::printf("Project %s deleted.\n", flags.name.c_str());
  return 0;
}

int RunCreateToken(const AccessFlags& flags) {
  app::TokenRequest request{flags.name, flags.scopes, flags.projects, std::nullopt};
  if (!flags.expires.empty() && flags.expires != "never") {
    auto expires = common::ParseDurationFlag(flags.expires);
    if (!expires.ok()) return ReportError(expires.status().WithContext("--expires"));
    request.expires_in = *expires;
  }
  auto minted = app::CreateToken(flags.store.paths, request);
  if (!minted.ok()) return ReportError(minted.status());
  const model::ApiToken& token = minted->token;
  std::fprintf(stderr, "Token %s (scopes %s; projects %s; %s). It is shown only this once:\n",
               token.name.c_str(), Join(token.scopes, "-").c_str(),
               Join(token.projects, "all").c_str(),
               token.expires_at ? ("expires " + common::FormatRfc3339(*token.expires_at)).c_str()
                                : "does not expire");
  std::printf("%s\n", minted->secret.c_str());
  return 0;
}

int RunListTokens(const AccessFlags& flags) {
  auto tokens = app::ListTokens(flags.store.paths);
  if (!tokens.ok()) return ReportError(tokens.status());
  if (tokens->empty()) std::printf("No tokens; create one with `leadline tokens create`.\n");
  const common::UnixSeconds now = common::NowUnixSeconds();
  for (const model::ApiToken& token : *tokens) {
    const std::string state =
        token.revoked_at ? "revoked " + common::FormatRfc3339(*token.revoked_at)
        : token.expires_at && *token.expires_at <= now
            ? "expired " + common::FormatRfc3339(*token.expires_at)
        : token.expires_at ? "expires " + common::FormatRfc3339(*token.expires_at)
                           : "active";
    std::printf("%-16s %-24s projects %-20s %s; last used %s\n", token.name.c_str(),
                Join(token.scopes, "-").c_str(), Join(token.projects, "all").c_str(), state.c_str(),
                token.last_used_at ? common::FormatRfc3339(*token.last_used_at).c_str() : "never");
  }
  return 0;
}

int RunRevokeToken(const AccessFlags& flags) {
  const common::Status revoked = app::RevokeToken(flags.store.paths, flags.name);
  if (!revoked.ok()) return ReportError(revoked);
  std::printf("Token %s revoked.\n", flags.name.c_str());
  return 0;
}

int RunAudit(const AccessFlags& flags) {
  auto audit = app::ListAudit(flags.store.paths, flags.limit);
  if (!audit.ok()) return ReportError(audit.status());
  if (audit->entries.empty()) std::printf("No API calls yet.\n");
  for (const model::AuditEntry& entry : audit->entries) {
    std::printf("%s  %-16s %3d %-6s %s\n", common::FormatRfc3339(entry.at).c_str(),
                entry.token_name.empty() ? "-" : entry.token_name.c_str(), entry.status,
                entry.method.c_str(), entry.path.c_str());
  }
  if (audit->refusals.empty()) return 0;
  std::printf(
      "\nRefused without a valid identity, per minute, client address and reason (count, then "
      "the last request):\n");
  for (const model::AuditRefusal& refusal : audit->refusals) {
    std::printf("%s  %-16s %-20s %8lld  %3d %-6s %s\n",
                common::FormatRfc3339(refusal.minute).c_str(), refusal.client_address.c_str(),
                refusal.reason.c_str(), static_cast<long long>(refusal.count), refusal.status,
                refusal.method.c_str(), refusal.path.c_str());
  }
  return 0;
}

void AddDb(CLI::App* command, AccessFlags& flags) { AddStoreOptions(command, &flags.store); }

}  // namespace

std::vector<std::function<int()>> AddAccessCommands(CLI::App& app) {
  auto flags = std::make_shared<AccessFlags>();
  CLI::App* projects = app.add_subcommand("projects", "Projects: named sets of repositories");
  projects->require_subcommand(1);
  CLI::App* create_project =
      projects->add_subcommand("create", "Create a project, or replace its repositories");
  create_project->add_option("name", flags->name, "The project's name")->required();
  create_project
      ->add_option("--repos", flags->repos, "Patterns on workspace/slug, e.g. 'acme/pay-*'")
      ->delimiter(',')
      ->required();
  CLI::App* list_projects = projects->add_subcommand("list", "List the projects");
  CLI::App* delete_project = projects->add_subcommand("delete", "Delete a project");
  delete_project->add_option("name", flags->name, "The project's name")->required();

  CLI::App* tokens = app.add_subcommand("tokens", "API tokens of service accounts");
  tokens->require_subcommand(1);
  CLI::App* create_token = tokens->add_subcommand(
      "create",
      "Create a token; its secret is printed once. To rotate, create a new one, then "
      "revoke the old");
  create_token->add_option("--name", flags->name, "The token's name, e.g. ci-bot")->required();
  create_token->add_option("--scopes", flags->scopes, "read, write:events, bi:refresh, admin")
      ->delimiter(',')
      ->required();
  create_token->add_option("--projects", flags->projects, "Projects it may see (default: all)")
      ->delimiter(',');
  create_token->add_option("--expires", flags->expires, "Lifetime: 30d, 12w, ... or never");
  CLI::App* list_tokens = tokens->add_subcommand("list", "List the tokens (never their secrets)");
  CLI::App* revoke_token = tokens->add_subcommand("revoke", "Revoke a token at once");
  revoke_token->add_option("name", flags->name, "The token's name")->required();
  CLI::App* audit = app.add_subcommand(
      "audit",
      "The API's audit log, newest first: calls with a token (when, which token, status, call), "
      "then refusals without one, counted per minute, client address and reason");
  audit->add_option("--limit", flags->limit, "How many entries, and how many refusal counts")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  for (CLI::App* command : {create_project, list_projects, delete_project, create_token,
                            list_tokens, revoke_token, audit}) {
    AddDb(command, *flags);
  }
  return {
      [create_project, flags]() {
        return create_project->parsed() ? RunCreateProject(*flags) : -1;
      },
      [list_projects, flags]() { return list_projects->parsed() ? RunListProjects(*flags) : -1; },
      [delete_project, flags]() {
        return delete_project->parsed() ? RunDeleteProject(*flags) : -1;
      },
      [create_token, flags]() { return create_token->parsed() ? RunCreateToken(*flags) : -1; },
      [list_tokens, flags]() { return list_tokens->parsed() ? RunListTokens(*flags) : -1; },
      [revoke_token, flags]() { return revoke_token->parsed() ? RunRevokeToken(*flags) : -1; },
      [audit, flags]() { return audit->parsed() ? RunAudit(*flags) : -1; },
  };
}

}  // namespace leadline::cli
