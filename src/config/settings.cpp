#include "config/settings.h"

#include <fnmatch.h>
#include <toml++/toml.h>

#include <filesystem>

#include "config/identity_settings.h"
#include "config/toml_values.h"

namespace leadline::config {
namespace {

using common::Result;
using common::Status;

// production = "once" | "each".
Result<bool> EachEnvironment(const std::string& path, const toml::node& node,
                             const std::string& key) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string text, String(path, node, key));
  if (text == "once") return false;
  if (text == "each") return true;
  return Error(path, node, key,
               "expected \"once\" (a release to several production environments counts once) or "
               "\"each\" (every environment counts on its own), got \"" +
                   text + "\"");
}

// Applies the keys of `table` over `settings`.
Status Apply(const std::string& path, const toml::table& table, RepositorySettings& settings) {
  for (const auto& [name, node] : table) {
    const std::string key(name.str());
    if (key == "production_environments") {
      LEADLINE_ASSIGN_OR_RETURN(settings.production_environments, Strings(path, node, key));
    } else if (key == "production") {
      LEADLINE_ASSIGN_OR_RETURN(settings.releases.each_environment,
                                EachEnvironment(path, node, key));
    } else if (key == "release_window") {
      LEADLINE_ASSIGN_OR_RETURN(settings.releases.window, Duration(path, node, key));
    } else if (key == "bot_patterns") {
      LEADLINE_ASSIGN_OR_RETURN(settings.stages.bot_patterns, Strings(path, node, key));
    } else if (key == "hotfix_prefixes") {
      LEADLINE_ASSIGN_OR_RETURN(settings.hotfix_prefixes, Strings(path, node, key));
    } else if (key == "hotfix_window") {
      LEADLINE_ASSIGN_OR_RETURN(settings.failure_rules.hotfix_window, Duration(path, node, key));
    } else if (key == "rerun_grace") {
      LEADLINE_ASSIGN_OR_RETURN(settings.failure_rules.rerun_grace, Duration(path, node, key));
    } else if (key == "first_lookback") {
      LEADLINE_ASSIGN_OR_RETURN(settings.first_lookback, Duration(path, node, key));
    } else if (key == "deploy_tags") {
      LEADLINE_ASSIGN_OR_RETURN(settings.deploy_tags, String(path, node, key));
    } else if (key == "incident_severities") {
      LEADLINE_ASSIGN_OR_RETURN(settings.incidents.severities, Strings(path, node, key));
    } else if (key == "incident_services") {
      LEADLINE_ASSIGN_OR_RETURN(settings.incidents.services, Strings(path, node, key));
    } else if (key == "incident_window") {
      LEADLINE_ASSIGN_OR_RETURN(settings.failure_rules.incident_window, Duration(path, node, key));
    } else {
      return Error(path, node, key,
                   "unknown (known: production_environments, production, release_window, "
                   "bot_patterns, hotfix_prefixes, hotfix_window, rerun_grace, first_lookback, "
                   "deploy_tags, incident_severities, incident_services, incident_window)");
    }
  }
  return Status::Ok();
}

// [teams.payments] members = ["{account-uuid}", "Ann Smith"]
Status ReadTeams(const std::string& path, const toml::table& teams,
                 std::map<std::string, std::vector<std::string>>& out) {
  for (const auto& [name, node] : teams) {
    const std::string team(name.str());
    const toml::table* table = node.as_table();
    if (table == nullptr) return Error(path, node, "teams." + team, "expected a table");
    for (const auto& [member_key, members] : *table) {
      if (member_key.str() != "members") {
        return Error(path, members, std::string(member_key.str()), "unknown (known: members)");
      }
      LEADLINE_ASSIGN_OR_RETURN(out[team], Strings(path, members, "members"));
    }
    if (!out.contains(team)) return Error(path, node, "teams." + team, "has no members");
  }
  return Status::Ok();
}

// [services] "PSVCAPI" = "acme/api": an incident tool's service (id or name) -> repositories.
Status ReadServices(const std::string& path, const toml::table& table,
                    engine::ConfiguredServices& out) {
  for (const auto& [name, node] : table) {
    const std::string service(name.str());
    LEADLINE_ASSIGN_OR_RETURN(const std::string pattern,
                              String(path, node, "services.\"" + service + "\""));
    if (service.empty() || service.size() > 200 || pattern.empty() || pattern.size() > 200) {
      return Error(path, node, "services.\"" + service + "\"",
                   "expected a service's id or name and a pattern over repository locations "
                   "such as \"acme/api\" or \"acme/platform/*\", each of 1 to 200 characters");
    }
    out[service] = pattern;
  }
  return Status::Ok();
}

// [feedback] "acme/api" = "comment": pull-request feedback per repository pattern.
Status ReadFeedback(const std::string& path, const toml::table& table,
                    std::map<std::string, std::string>& out) {
  for (const auto& [name, node] : table) {
    const std::string pattern(name.str());
    const std::string key = "feedback.\"" + pattern + "\"";
    LEADLINE_ASSIGN_OR_RETURN(const std::string value, String(path, node, key));
    if (pattern.empty() || pattern.size() > 512) {
      return Error(path, node, key,
                   "expected a pattern over repository locations of 1 to 512 "
                   "characters, such as \"acme/api\" or \"acme/*\"");
    }
    if (value != "insights" && value != "comment" && value != "off") {
      return Error(path, node, key,
                   "expected \"insights\", \"comment\" or \"off\", not \"" + value + "\"");
    }
    out[pattern] = value;
  }
  return Status::Ok();
}

// [webhooks] public_url = "https://leadline.example.com": where Bitbucket and GitLab reach `serve`.
Status ReadWebhooks(const std::string& path, const toml::table& table, std::string& public_url) {
  for (const auto& [name, node] : table) {
    const std::string key(name.str());
    if (key != "public_url")
      return Error(path, node, "webhooks." + key, "unknown (known: public_url)");
    LEADLINE_ASSIGN_OR_RETURN(public_url, String(path, node, "webhooks.public_url"));
    if (!public_url.starts_with("https://") && !public_url.starts_with("http://")) {
      return Error(path, node, "webhooks.public_url",
                   "expected the server's address as Bitbucket reaches it, https://...");
    }
    while (public_url.ends_with("/")) public_url.pop_back();
  }
  return Status::Ok();
}

}  // namespace

Result<Settings> Settings::Load(const std::string& path) {
  Settings settings;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return settings;
  settings.source_ = path;
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    return Status::InvalidArgument(path + " line " + std::to_string(error.source().begin.line) +
                                   ": " + std::string(error.description()));
  }
  for (const auto& [name, node] : root) {
    const std::string key(name.str());
    const toml::table* table = node.as_table();
    if (key == "defaults" && table != nullptr) {
      LEADLINE_RETURN_IF_ERROR(Apply(path, *table, settings.defaults_));
    } else if (key == "repositories" && table != nullptr) {
      continue;  // read after the defaults, which they override
    } else if (key == "teams" && table != nullptr) {
      LEADLINE_RETURN_IF_ERROR(ReadTeams(path, *table, settings.teams_));
    } else if (key == "services" && table != nullptr) {
      LEADLINE_RETURN_IF_ERROR(
          ReadServices(path, *table, settings.defaults_.incidents.configured_services));
    } else if (key == "feedback" && table != nullptr) {
      LEADLINE_RETURN_IF_ERROR(ReadFeedback(path, *table, settings.feedback_));
    } else if (key == "webhooks" && table != nullptr) {
      LEADLINE_RETURN_IF_ERROR(ReadWebhooks(path, *table, settings.webhook_public_url_));
    } else if (key == "ci_trust") {
      LEADLINE_RETURN_IF_ERROR(ReadCiTrust(path, node, settings.ci_trust_));
    } else if (key == "oidc" && table != nullptr) {
      LEADLINE_RETURN_IF_ERROR(ReadOidc(path, *table, settings.oidc_));
    } else if (key == "roles") {
      LEADLINE_RETURN_IF_ERROR(ReadRoles(path, node, settings.oidc_.roles));
    } else {
      return Error(path, node, key,
                   "unknown table (known: [defaults], [repositories.\"ws/slug\"], "
                   "[teams.name], [services], [feedback], [webhooks], [[ci_trust]], [oidc], "
                   "[[roles]])");
    }
  }
  if (settings.oidc_.configured() || !settings.oidc_.roles.empty()) {
    const Status checked = auth::CheckOidcSettings(settings.oidc_);
    if (!checked.ok()) return Status::InvalidArgument(path + ": " + checked.message());
  }
  if (const toml::table* repositories = root["repositories"].as_table()) {
    for (const auto& [name, node] : *repositories) {
      const std::string location(name.str());
      const toml::table* table = node.as_table();
      if (table == nullptr) {
        return Error(path, node, "repositories." + location, "expected a table");
      }
      RepositorySettings repository = settings.defaults_;
      LEADLINE_RETURN_IF_ERROR(Apply(path, *table, repository));
      settings.repositories_.emplace(location, std::move(repository));
    }
  }
  return settings;
}

const RepositorySettings& Settings::For(const std::string& location) const {
  const auto found = repositories_.find(location);
  return found == repositories_.end() ? defaults_ : found->second;
}

Result<std::vector<std::string>> Settings::TeamMembers(const std::string& team) const {
  const auto found = teams_.find(team);
  if (found != teams_.end()) return found->second;
  std::string known;
  for (const auto& [name, members] : teams_) known += (known.empty() ? "" : ", ") + name;
  return Status::NotFound(
      "no team '" + team + "' in " +
      (source_.empty() ? std::string("the settings (no leadline.toml)") : source_) +
      (known.empty() ? "; add a [teams." + team + "] table with members"
                     : " (teams: " + known + ")"));
}

Result<Settings> LoadSettings(const std::string& config_path, const std::string& default_path) {
  if (config_path.empty()) return Settings::Load(default_path);
  std::error_code ec;
  if (!std::filesystem::exists(config_path, ec)) {
    return Status::NotFound("--config: '" + config_path + "' does not exist");
  }
  return Settings::Load(config_path);
}

const std::string* Settings::FeedbackOverride(const std::string& location) const {
  const std::string* found = nullptr;
  std::size_t longest = 0;
  for (const auto& [pattern, value] : feedback_) {
    if (fnmatch(pattern.c_str(), location.c_str(), 0) != 0) continue;
    if (found == nullptr || pattern.size() > longest) {
      found = &value;
      longest = pattern.size();
    }
  }
  return found;
}

}  // namespace leadline::config
