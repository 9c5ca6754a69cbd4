#include "config/settings.h"

#include <gtest/gtest.h>

#include <fstream>

#include "testing/git_script.h"

namespace leadline::config {
namespace {

using leadline::testing::TempDir;

class SettingsTest : public ::testing::Test {
 protected:
  common::Result<Settings> LoadText(const std::string& text) {
    std::ofstream(path_) << text;
    return Settings::Load(path_);
  }
  TempDir dir_;
  std::string path_ = dir_.Child("leadline.toml");
};

TEST_F(SettingsTest, AMissingFileMeansTheDefaults) {
  auto settings = Settings::Load(dir_.Child("absent.toml"));
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  EXPECT_EQ(settings->source(), "");
  const RepositorySettings& any = settings->For("acme/api");
  EXPECT_EQ(any.production_environments, std::vector<std::string>{"Production"});
  EXPECT_EQ(any.first_lookback, 90 * common::kDay);
  EXPECT_EQ(any.failure_rules.hotfix_window, 24 * common::kHour);
  EXPECT_FALSE(any.deploy_tags.has_value());
}

TEST_F(SettingsTest, RepositoryTablesOverrideOnlyTheKeysTheyName) {
  auto settings = LoadText(R"(
[defaults]
bot_patterns = ["ci-robot"]
hotfix_window = "12h"
rerun_grace = "30m"
first_lookback = "30d"
hotfix_prefixes = ["hotfix/"]
deploy_tags = '^release-'
incident_severities = ["critical"]
incident_window = "6h"

[repositories."acme/api"]
production_environments = ["prod-eu", "Staging"]
hotfix_prefixes = ["urgent/"]
incident_services = ["checkout"]
)");
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  const RepositorySettings& api = settings->For("acme/api");
  EXPECT_EQ(api.production_environments, (std::vector<std::string>{"prod-eu", "Staging"}));
  EXPECT_EQ(api.hotfix_prefixes, std::vector<std::string>{"urgent/"});
  EXPECT_EQ(api.stages.bot_patterns, std::vector<std::string>{"ci-robot"});  // from defaults
  EXPECT_EQ(api.failure_rules.hotfix_window, 12 * common::kHour);
  EXPECT_EQ(api.failure_rules.rerun_grace, 30 * common::kMinute);
  EXPECT_EQ(api.failure_rules.incident_window, 6 * common::kHour);
  EXPECT_EQ(api.incidents.severities, std::vector<std::string>{"critical"});
  EXPECT_EQ(api.incidents.services, std::vector<std::string>{"checkout"});
  const RepositorySettings& other = settings->For("acme/web");
  EXPECT_TRUE(other.incidents.services.empty());
  EXPECT_EQ(other.production_environments, std::vector<std::string>{"Production"});
  EXPECT_EQ(other.first_lookback, 30 * common::kDay);
  EXPECT_EQ(other.deploy_tags, "^release-");
}

TEST_F(SettingsTest, AReleaseToSeveralProductionEnvironmentsCountsOnceUnlessSetToEach) {
  auto settings = LoadText(R"(
[defaults]
release_window = "6h"

[repositories."acme/api"]
production = "each"

[repositories."acme/web"]
production = "once"
)");
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  EXPECT_TRUE(settings->For("acme/api").releases.each_environment);
  EXPECT_FALSE(settings->For("acme/web").releases.each_environment);
  EXPECT_FALSE(settings->For("acme/other").releases.each_environment);
  EXPECT_EQ(settings->For("acme/web").releases.window, 6 * common::kHour);
  EXPECT_EQ(LoadText("").value().For("acme/api").releases.window, 24 * common::kHour);

  const auto bad = LoadText("[repositories.\"acme/api\"]\nproduction = \"every\"\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("leadline.toml line 2: key 'production': expected "
                                        "\"once\" (a release to several production "
                                        "environments counts once) or \"each\""),
            std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("got \"every\""), std::string::npos);
  EXPECT_FALSE(LoadText("[defaults]\nproduction = true\n").ok());
  EXPECT_FALSE(LoadText("[defaults]\nrelease_window = \"a day\"\n").ok());
}

TEST_F(SettingsTest, TeamsListTheirMembers) {
  auto settings = LoadText(R"(
[teams.payments]
members = ["{a1}", "Ann Smith"]
)");
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  EXPECT_EQ(*settings->TeamMembers("payments"), (std::vector<std::string>{"{a1}", "Ann Smith"}));
  const auto missing = settings->TeamMembers("search");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no team 'search'"), std::string::npos);
  EXPECT_NE(missing.status().message().find("(teams: payments)"), std::string::npos);

  EXPECT_FALSE(LoadText("[teams.x]\nmember = [\"a\"]\n").ok());
  EXPECT_FALSE(LoadText("[teams.x]\n").ok());
  EXPECT_FALSE(LoadText("[teams]\nx = 1\n").ok());
}

TEST_F(SettingsTest, WebhooksNameThePublicUrl) {
  auto settings = LoadText("[webhooks]\npublic_url = \"https://leadline.example.com/\"\n");
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  EXPECT_EQ(settings->webhook_public_url(), "https://leadline.example.com");
  EXPECT_EQ(LoadText("").value().webhook_public_url(), "");
  const auto bad = LoadText("[webhooks]\npublic_url = \"leadline.example.com\"\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("key 'webhooks.public_url': expected the server's"),
            std::string::npos)
      << bad.status().message();
  EXPECT_FALSE(LoadText("[webhooks]\nurl = \"https://x\"\n").ok());
}

TEST_F(SettingsTest, FeedbackOverridesGoByTheLongestMatchingPattern) {
  auto settings = LoadText(
      "[feedback]\n\"acme/*\" = \"insights\"\n\"acme/legacy-*\" = \"off\"\n\"acme/api\" = "
      "\"comment\"\n");
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  ASSERT_NE(settings->FeedbackOverride("acme/web"), nullptr);
  EXPECT_EQ(*settings->FeedbackOverride("acme/web"), "insights");
  EXPECT_EQ(*settings->FeedbackOverride("acme/legacy-billing"), "off");
  EXPECT_EQ(*settings->FeedbackOverride("acme/api"), "comment");
  EXPECT_EQ(settings->FeedbackOverride("other/api"), nullptr);
  EXPECT_EQ(LoadText("").value().FeedbackOverride("acme/api"), nullptr);
  const auto bad = LoadText("[feedback]\n\"acme/api\" = \"on\"\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(
                "key 'feedback.\"acme/api\"': expected \"insights\", \"comment\" or \"off\""),
            std::string::npos)
      << bad.status().message();
  EXPECT_FALSE(LoadText("[feedback]\n\"acme/api\" = true\n").ok());
}

TEST_F(SettingsTest, CiTrustRulesNameIssuersAndWhatTheyMayPush) {
  auto settings = LoadText(R"(
[[ci_trust]]
provider = "gitlab"
issuer = "https://gitlab.example.com"
audiences = ["https://leadline.example.com"]
environments = ["production"]

[[ci_trust]]
issuer = "https://gitlab.internal"
audiences = ["leadline"]
require_protected_ref = false
allow_incidents = true
)");
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  ASSERT_EQ(settings->ci_trust().size(), 2u);
  EXPECT_EQ(settings->ci_trust()[0].environments, std::vector<std::string>{"production"});
  EXPECT_TRUE(settings->ci_trust()[0].require_protected_ref);
  EXPECT_EQ(settings->ci_trust()[1].provider, "gitlab");
  EXPECT_FALSE(settings->ci_trust()[1].require_protected_ref);
  EXPECT_TRUE(settings->ci_trust()[1].allow_incidents);

  auto bad = LoadText("[[ci_trust]]\nissuer = \"https://gitlab.example.com\"\nsecret = \"x\"\n");
  EXPECT_NE(bad.status().message().find("line 3: key 'ci_trust.secret': unknown"),
            std::string::npos)
      << bad.status().message();
  bad = LoadText("[[ci_trust]]\nissuer = \"https://gitlab.example.com\"\n");
  EXPECT_NE(bad.status().message().find("audiences is required"), std::string::npos)
      << bad.status().message();
  bad = LoadText(
      "[[ci_trust]]\nissuer = \"https://g.example\"\naudiences = [\"a\"]\n"
      "require_protected_ref = \"no\"\n");
  EXPECT_NE(bad.status().message().find("expected true or false"), std::string::npos)
      << bad.status().message();
}

TEST_F(SettingsTest, OidcAndRolesSayWhoSignsInAndWhatTheySee) {
  auto settings = LoadText(R"(
[oidc]
issuer = "https://acme.okta.com"
client_id = "0oa1leadline"
client_secret_file = "/etc/leadline/oidc-secret"
redirect_url = "https://leadline.example.com/auth/oidc/callback"
roles_claim = "roles"
contact = "#platform-help"
session_lifetime = "4h"
session_idle = "30m"

[[roles]]
value = "payments-engineers"
projects = ["payments"]

[[roles]]
value = "a1b2c3d4-0000-4000-8000-000000000001"
projects = ["*"]
level = "admin"
)");
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  const auth::OidcSettings& oidc = settings->oidc();
  EXPECT_TRUE(oidc.configured());
  EXPECT_EQ(oidc.client_id, "0oa1leadline");
  EXPECT_EQ(oidc.roles_claim, "roles");
  EXPECT_EQ(oidc.scopes, (std::vector<std::string>{"openid", "profile", "email"}));
  EXPECT_EQ(oidc.session_lifetime, 4 * 3600);
  EXPECT_EQ(oidc.session_idle, 30 * 60);
  ASSERT_EQ(oidc.roles.size(), 2u);
  EXPECT_EQ(oidc.roles[0].level, auth::AccessLevel::kViewer);
  EXPECT_EQ(oidc.roles[1].level, auth::AccessLevel::kAdmin);
  EXPECT_FALSE(LoadText("").value().oidc().configured());

  const std::string base =
      "[oidc]\nissuer = \"https://acme.okta.com\"\nclient_id = \"c\"\n"
      "client_secret_file = \"/s\"\nredirect_url = "
      "\"https://leadline.example.com/auth/oidc/callback\"\n";
  EXPECT_NE(LoadText(base).status().message().find("no [[roles]]"), std::string::npos);
  EXPECT_NE(LoadText(base + "[[roles]]\nvalue = \"g\"\nprojects = [\"p\"]\nlevel = \"owner\"\n")
                .status()
                .message()
                .find("key 'roles.level': expected \"viewer\" or \"admin\""),
            std::string::npos);
  EXPECT_NE(LoadText(base + "client_secret = \"x\"\n[[roles]]\nvalue = \"g\"\nprojects = [\"p\"]\n")
                .status()
                .message()
                .find("key 'oidc.client_secret': unknown"),
            std::string::npos);
  // Roles without a provider are a mistake, not ignored.
  EXPECT_FALSE(LoadText("[[roles]]\nvalue = \"g\"\nprojects = [\"p\"]\n").ok());
}

TEST_F(SettingsTest, MistakesNameTheLineAndTheKey) {
  const auto message = [&](const std::string& text) {
    auto settings = LoadText(text);
    EXPECT_FALSE(settings.ok()) << text;
    return settings.ok() ? std::string() : settings.status().message();
  };
  EXPECT_NE(message("[defaults]\nbot_pattern = [\"x\"]\n")
                .find("leadline.toml line 2: key 'bot_pattern': unknown (known: "),
            std::string::npos);
  EXPECT_NE(
      message("[defaults]\nhotfix_window = 24\n").find("key 'hotfix_window': expected a string"),
      std::string::npos);
  EXPECT_NE(message("[defaults]\nhotfix_window = \"soon\"\n").find("key 'hotfix_window': "),
            std::string::npos);
  EXPECT_NE(message("[defaults]\nbot_patterns = [\"a\", 2]\n")
                .find("key 'bot_patterns': expected an array of strings"),
            std::string::npos);
  EXPECT_NE(message("[default]\n").find("key 'default': unknown table"), std::string::npos);
  EXPECT_NE(message("[defaults\n").find("leadline.toml line 1: "), std::string::npos);
  EXPECT_NE(message("[repositories]\n\"acme/api\" = 3\n").find("expected a table"),
            std::string::npos);
}

TEST_F(SettingsTest, TheDocumentedExampleLoads) {
  auto settings = LoadText(R"(
[defaults]
production_environments = ["Production"]
bot_patterns = ["[bot]", "renovate", "dependabot", "snyk-bot", "github-actions", "pipelines-bot"]
hotfix_prefixes = ["hotfix/", "hot-fix/", "fix/"]
hotfix_window = "24h"
# rerun_grace = "30m"
first_lookback = "90d"
deploy_tags = '^v?[0-9]+(\.[0-9]+)*$'
incident_severities = ["P1", "P2", "SEV1", "SEV2"]
incident_window = "24h"

[repositories."acme/api"]
production_environments = ["prod-eu", "prod-us"]
production = "each"
release_window = "24h"
incident_services = ["checkout", "payments"]
)");
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  EXPECT_TRUE(settings->For("acme/api").releases.each_environment);
  EXPECT_EQ(settings->For("acme/api").failure_rules.rerun_grace, 0);
  EXPECT_EQ(settings->For("acme/api").deploy_tags, "^v?[0-9]+(\\.[0-9]+)*$");
}

TEST_F(SettingsTest, ServicesMapIncidentToolsServicesForEveryRepository) {
  auto settings = LoadText(R"(
[repositories."acme/api"]
incident_services = ["checkout"]

[services]
"PSVCAPI" = "acme/api"
"Storefront" = "acme/web-*"
)");
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  const engine::ConfiguredServices expected = {{"PSVCAPI", "acme/api"},
                                               {"Storefront", "acme/web-*"}};
  EXPECT_EQ(settings->services(), expected);
  // Every repository's rules carry them, a repository's own table included.
  EXPECT_EQ(settings->For("acme/api").incidents.configured_services, expected);
  EXPECT_EQ(settings->For("acme/other").incidents.configured_services, expected);

  auto empty = LoadText("[services]\n\"PSVCAPI\" = \"\"\n");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("services.\"PSVCAPI\""), std::string::npos)
      << empty.status().message();
  auto not_text = LoadText("[services]\n\"PSVCAPI\" = [\"acme/api\"]\n");
  ASSERT_FALSE(not_text.ok());
  EXPECT_NE(not_text.status().message().find("line 2"), std::string::npos)
      << not_text.status().message();
}

TEST(LoadSettings, AConfigFlagMustNameAFile) {
  TempDir dir;
  auto missing = LoadSettings(dir.Child("nowhere.toml"), dir.Child("leadline.toml"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("does not exist"), std::string::npos);
  auto beside = LoadSettings("", dir.Child("leadline.toml"));  // no default file: defaults
  ASSERT_TRUE(beside.ok()) << beside.status().message();
  EXPECT_EQ(beside->source(), "");
}

}  // namespace
}  // namespace leadline::config
