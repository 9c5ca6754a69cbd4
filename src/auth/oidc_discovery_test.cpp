#include "auth/oidc_discovery.h"

#include <gtest/gtest.h>

#include "http/testing_fakes.h"

namespace leadline::auth {
namespace {

using http::testing::ScriptedClient;

const char* kMetadata = R"({
  "issuer": "https://idp.example/realms/acme",
  "authorization_endpoint": "https://idp.example/realms/acme/auth",
  "token_endpoint": "https://idp.example/realms/acme/token",
  "jwks_uri": "https://idp.example/realms/acme/certs",
  "end_session_endpoint": "https://idp.example/realms/acme/logout",
  "id_token_signing_alg_values_supported": ["RS256", "ES256", 7]
})";

TEST(OidcDiscoveryTest, ReadsTheEndpointsOfTheConfiguredIssuer) {
  ScriptedClient client;
  client.Answer("https://idp.example/realms/acme/.well-known/openid-configuration", 200, kMetadata);
  auto metadata = DiscoverProvider(client, "https://idp.example/realms/acme");
  ASSERT_TRUE(metadata.ok()) << metadata.status().message();
  EXPECT_EQ(metadata->jwks_uri, "https://idp.example/realms/acme/certs");
  EXPECT_EQ(metadata->token_endpoint, "https://idp.example/realms/acme/token");
  EXPECT_EQ(metadata->end_session_endpoint, "https://idp.example/realms/acme/logout");
  EXPECT_EQ(metadata->signing_algorithms, (std::vector<std::string>{"RS256", "ES256"}));
}

TEST(OidcDiscoveryTest, AnotherIssuerOrPlainHttpEndpointsAreRefused) {
  ScriptedClient client;
  // The configured issuer with a trailing slash is another issuer.
  client.Answer("https://idp.example/realms/acme/.well-known/openid-configuration", 200, kMetadata);
  auto other = DiscoverProvider(client, "https://idp.example/realms/acme/");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("must match it exactly"), std::string::npos);
  std::string plain = kMetadata;
  plain.replace(plain.find("https://idp.example/realms/acme/certs"), 8, "http://");
  ScriptedClient plain_client;
  plain_client.Answer("https://idp.example/realms/acme/.well-known/openid-configuration", 200,
                      plain);
  auto refused = DiscoverProvider(plain_client, "https://idp.example/realms/acme");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("jwks_uri is not an https URL"), std::string::npos);
  EXPECT_FALSE(DiscoverProvider(client, "http://idp.example/realms/acme").ok());
  ScriptedClient broken;
  broken.Answer("https://idp.example/.well-known/openid-configuration", 404, "");
  EXPECT_NE(DiscoverProvider(broken, "https://idp.example").status().message().find("HTTP 404"),
            std::string::npos);
}

TEST(OidcDiscoveryTest, SecureUrlsAreHttpsOrLoopbackHttp) {
  EXPECT_TRUE(IsSecureUrl("https://idp.example/x"));
  EXPECT_TRUE(IsSecureUrl("http://127.0.0.1:4000/x"));
  EXPECT_TRUE(IsSecureUrl("http://localhost:4000"));
  EXPECT_TRUE(IsSecureUrl("http://[::1]:4000/"));
  EXPECT_FALSE(IsSecureUrl("http://idp.example/x"));
  EXPECT_FALSE(IsSecureUrl("http://127.0.0.1@evil.example/x"));
  EXPECT_FALSE(IsSecureUrl("http://localhost.evil.example/"));
  EXPECT_FALSE(IsSecureUrl("ftp://idp.example/"));
  EXPECT_FALSE(IsSecureUrl("https://"));
}

TEST(OidcDiscoveryTest, KeySetsAreFetchedWithTheirCacheControl) {
  ScriptedClient client;
  client.Answer("https://idp.example/certs", 200, R"({"keys":[]})",
                {{"Cache-Control", "max-age=600"}});
  const KeySetFetch fetch = KeySetFetchOver(client);
  auto fetched = fetch("https://idp.example/certs");
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(fetched->status, 200);
  EXPECT_EQ(fetched->cache_control, "max-age=600");
  EXPECT_FALSE(fetch("http://idp.example/certs").ok());
  EXPECT_EQ(client.sent.size(), 1u);
}

}  // namespace
}  // namespace leadline::auth
