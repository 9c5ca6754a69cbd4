// Leadline's settings file, `leadline.toml`: what counts as a production deployment, which
// authors are bots, which branches are hotfixes, and the time windows the failure rules use, for
// every repository and per repository. A missing file means the defaults. Values are checked
// when the file is read: an unknown key, a wrong type or a bad duration is an error naming the
// file, the line and the key.
//
//   [defaults]
//   production_environments = ["Production"]   # environment types or names
//   bot_patterns = ["[bot]", "renovate", "dependabot"]
//   hotfix_prefixes = ["hotfix/", "hot-fix/", "fix/"]
//   hotfix_window = "24h"
//   rerun_grace = "30m"
//   first_lookback = "90d"
//   deploy_tags = '^v?[0-9]+(\.[0-9]+)*$'          # report --git only
//   incident_severities = ["P1", "P2", "SEV1", "SEV2"]   # ["*"]: every severity
//   incident_window = "24h"
//
//   [repositories."acme/api"]
//   production_environments = ["prod-eu", "prod-us"]
//   production = "each"     # "once" (default): a release to several of them counts once
//   release_window = "24h"  # how far apart one release's deployments may be ("once")
//   incident_services = ["checkout", "payments"]   # default: the slug and the name
//
//   [teams.payments]                 # for pull request figures (report --team payments)
//   members = ["{account-uuid}", "Ann Smith", "bo@example.com"]  # ids, names or commit e-mails
//
//   [services]                       # incident tools' services -> repositories (by id or name)
//   "PSVCAPI" = "acme/api"
//   "Storefront" = "acme/web-*"
//
//   [feedback]                       # pull-request feedback (docs/feedback.md), over `feedback
//   "acme/api" = "comment"           # enable|disable`: "insights", "comment" or "off"; the
//   "acme/legacy-*" = "off"          # longest pattern matching a repository wins
//
//   [webhooks]
//   public_url = "https://leadline.example.com"   # where Bitbucket and GitLab reach `leadline
//   serve`
//
//   [[ci_trust]]                     # CI jobs that push with OIDC tokens (docs/ci.md)
//   provider = "gitlab"
//   issuer = "https://gitlab.example.com"
//   audiences = ["https://leadline.example.com"]
//   environments = ["production"]    # optional: environments or deployment tiers allowed
//
//   [oidc]                           # people sign in with an OpenID Provider (docs/identity.md)
//   issuer = "https://acme.okta.com"
//   client_id = "0oa1leadline"
//   client_secret_file = "/etc/leadline/oidc-client-secret"
//   redirect_url = "https://leadline.example.com/auth/oidc/callback"
//   roles_claim = "groups"           # the ID token claim the roles match
//
//   [[roles]]                        # what a value of that claim grants
//   value = "payments-engineers"
//   projects = ["payments"]          # ["*"]: every project
//   level = "viewer"                 # or "admin"
//
// A repository's table overrides only the keys it names. Immutable after loading; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/ci_trust.h"
#include "auth/oidc_sign_in.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/deployment_selection.h"
#include "engine/failure_evidence.h"
#include "engine/incident_selection.h"
#include "engine/pr_stages.h"

namespace leadline::config {

struct RepositorySettings {
  // Each entry is an environment type (Test, Staging, Production) or an environment's name,
  // compared without case.
  std::vector<std::string> production_environments = {"Production"};
  // How a release of one commit to several production environments counts: once (default) or
  // each environment on its own chain.
  engine::ReleaseRules releases;
  std::vector<std::string> hotfix_prefixes = {"hotfix/", "hot-fix/", "fix/"};
  engine::StageOptions stages;         // bot patterns
  engine::FailureRules failure_rules;  // hotfix window, re-run grace, incident window
  engine::IncidentRules incidents;     // severities that count, services of the repository
  common::Seconds first_lookback = 90 * common::kDay;
  std::optional<std::string> deploy_tags;  // unset: the command's default
};

class Settings {
 public:
  // The settings in `path`; the defaults when the file does not exist.
  static common::Result<Settings> Load(const std::string& path);

  // The settings of `location` ("acme/api"): its table over the defaults.
  const RepositorySettings& For(const std::string& location) const;
  // The members of `team`; NotFound, naming the known teams, when there is no such team.
  common::Result<std::vector<std::string>> TeamMembers(const std::string& team) const;
  const std::map<std::string, std::vector<std::string>>& teams() const { return teams_; }
  // [services]: which repositories incident tools' services count against, over `services map`.
  const engine::ConfiguredServices& services() const {
    return defaults_.incidents.configured_services;
  }
  // [feedback]: "insights", "comment" or "off" for `location`, from the longest pattern that
  // matches it; null when none does (what `feedback enable|disable` stored holds).
  const std::string* FeedbackOverride(const std::string& location) const;
  const std::map<std::string, std::string>& feedback() const { return feedback_; }
  // The server's address as Bitbucket reaches it, without a trailing slash; empty: webhooks are
  // not registered on the repositories.
  const std::string& webhook_public_url() const { return webhook_public_url_; }
  // The [[ci_trust]] rules, checked (auth::CheckCiTrustRules).
  const std::vector<auth::CiTrustRule>& ci_trust() const { return ci_trust_; }
  // [oidc] with its [[roles]], checked (auth::CheckOidcSettings); not configured() when absent.
  const auth::OidcSettings& oidc() const { return oidc_; }
  // Where they were read from; empty when no file existed.
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  RepositorySettings defaults_;
  std::map<std::string, RepositorySettings> repositories_;
  std::map<std::string, std::vector<std::string>> teams_;
  std::string webhook_public_url_;
  std::map<std::string, std::string> feedback_;  // pattern -> insights, comment or off
  std::vector<auth::CiTrustRule> ci_trust_;
  auth::OidcSettings oidc_;
};

// The settings a command uses: the file `config_path` names (which must exist), else
// `default_path` (config::Paths::settings_file), if it exists.
common::Result<Settings> LoadSettings(const std::string& config_path,
                                      const std::string& default_path);

}  // namespace leadline::config
