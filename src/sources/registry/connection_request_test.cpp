#include "sources/registry/connection_request.h"

#include <gtest/gtest.h>

#include "sources/bitbucket/connection_check.h"
#include "sources/incidentio/incidentio_http.h"
#include "sources/pagerduty/pagerduty_http.h"

namespace leadline::sources {
namespace {

ConnectionRequest Cloud() {
  ConnectionRequest request;
  request.provider = model::Provider::kBitbucketCloud;
  request.workspace = "acme";
  request.email = "dev@example.com";
  request.token = "tok";
  return request;
}

std::string ErrorOf(const ConnectionRequest& request, const RequestFieldNames& names) {
  auto settings = SettingsFrom(request, names);
  return settings.ok() ? "" : settings.status().message();
}

TEST(ConnectionRequestTest, EachWayToSignInToBitbucketCloudBecomesItsSettings) {
  auto api_token = SettingsFrom(Cloud(), kJsonNames);
  ASSERT_TRUE(api_token.ok()) << api_token.status().message();
  EXPECT_EQ(api_token->auth, model::AuthMethod::kApiToken);
  EXPECT_EQ(api_token->username, "dev@example.com");
  EXPECT_EQ(api_token->secret, "tok");
  EXPECT_EQ(api_token->url, bitbucket::kCloudApiUrl);

  ConnectionRequest access = Cloud();
  access.token.clear();
  access.access_token = "access";
  access.url = "http://127.0.0.1:8080/2.0/";
  auto settings = SettingsFrom(access, kJsonNames);
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->auth, model::AuthMethod::kAccessToken);
  EXPECT_EQ(settings->url, "http://127.0.0.1:8080/2.0/") << "Bitbucket's URL is kept as given";

  ConnectionRequest legacy = Cloud();
  legacy.token.clear();
  legacy.app_password = "pw";
  EXPECT_EQ(ErrorOf(legacy, kFlagNames), "--app-password-file needs --username");
  legacy.username = "devnick";
  ASSERT_TRUE(SettingsFrom(legacy, kFlagNames).ok());
  EXPECT_EQ(SettingsFrom(legacy, kFlagNames)->auth, model::AuthMethod::kAppPassword);
}

TEST(ConnectionRequestTest, OtherProvidersTakeOneTokenAndTheirDefaultUrl) {
  ConnectionRequest pagerduty;
  pagerduty.provider = model::Provider::kPagerDuty;
  pagerduty.token = "key";
  auto settings = SettingsFrom(pagerduty, kJsonNames);
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->url, pagerduty::kPagerDutyApiUrl);
  EXPECT_EQ(settings->auth, model::AuthMethod::kPagerDutyToken);
  pagerduty.url = "https://api.eu.pagerduty.com//";
  EXPECT_EQ(SettingsFrom(pagerduty, kJsonNames)->url, "https://api.eu.pagerduty.com");

  ConnectionRequest incidentio;
  incidentio.provider = model::Provider::kIncidentIo;
  incidentio.token = "key";
  settings = SettingsFrom(incidentio, kJsonNames);
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->url, incidentio::kIncidentIoApiUrl);
  EXPECT_EQ(settings->auth, model::AuthMethod::kIncidentIoKey);
  EXPECT_EQ(settings->Credentials().kind, http::Credentials::Kind::kBearer);
  incidentio.url = "http://127.0.0.1:8080/";
  EXPECT_EQ(SettingsFrom(incidentio, kJsonNames)->url, "http://127.0.0.1:8080");
  incidentio.access_token = "another";
  EXPECT_FALSE(SettingsFrom(incidentio, kJsonNames).ok());

  ConnectionRequest jsm;
  jsm.provider = model::Provider::kJsm;
  jsm.token = "atlassian-token";
  EXPECT_NE(ErrorOf(jsm, kFlagNames).find("--token-file needs --email"), std::string::npos);
  jsm.email = "mia@example.com";
  EXPECT_NE(ErrorOf(jsm, kFlagNames).find("--site"), std::string::npos);
  jsm.url = "https://acme.atlassian.net/";
  settings = SettingsFrom(jsm, kFlagNames);
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->url, "https://acme.atlassian.net");
  EXPECT_EQ(settings->auth, model::AuthMethod::kApiToken);
  EXPECT_EQ(settings->username, "mia@example.com");
  EXPECT_EQ(settings->Credentials().kind, http::Credentials::Kind::kBasic);

  ConnectionRequest dc;
  dc.provider = model::Provider::kBitbucketDataCenter;
  dc.token = "key";
  EXPECT_EQ(ErrorOf(dc, kJsonNames),
            "Bitbucket Data Center needs its base URL, with the context "
            "path if any");
  dc.url = "https://git.example.com/bitbucket";
  ASSERT_TRUE(SettingsFrom(dc, kJsonNames).ok());
  dc.access_token = "another";
  EXPECT_EQ(ErrorOf(dc, kJsonNames), "Bitbucket Data Center signs in with 'token' only");
}

TEST(ConnectionRequestTest, BadFieldsAreRefusedByTheNamesTheCallerKnows) {
  ConnectionRequest request = Cloud();
  request.email.clear();
  EXPECT_EQ(ErrorOf(request, kFlagNames),
            "--token-file needs --email: API tokens sign in with the Atlassian account e-mail");
  EXPECT_EQ(ErrorOf(request, kJsonNames),
            "'token' needs 'email': API tokens sign in with the Atlassian account e-mail");
  request = Cloud();
  request.access_token = "both";
  EXPECT_NE(ErrorOf(request, kJsonNames).find("give one way to sign in"), std::string::npos);
  request = Cloud();
  request.token = "a\nb";  // would end the Authorization header
  EXPECT_NE(ErrorOf(request, kJsonNames).find("'token' must be at most"), std::string::npos);
  request = Cloud();
  request.token = std::string(8193, 'x');
  EXPECT_NE(ErrorOf(request, kJsonNames).find("8192 bytes"), std::string::npos);
  request = Cloud();
  request.url = "file:///etc/passwd";
  EXPECT_NE(ErrorOf(request, kJsonNames).find("is not an http or https URL"), std::string::npos);
  request = Cloud();
  request.workspace = "";
  EXPECT_NE(ErrorOf(request, kJsonNames).find("'workspace' must name"), std::string::npos);
  request = Cloud();
  request.provider = model::Provider::kPush;
  EXPECT_NE(ErrorOf(request, kJsonNames).find("is not connected this way"), std::string::npos);
}

}  // namespace
}  // namespace leadline::sources
