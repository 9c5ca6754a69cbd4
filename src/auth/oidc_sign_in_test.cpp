#include "auth/oidc_sign_in.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "auth/api_tokens.h"
#include "testing/jwt_signer.h"

namespace leadline::auth {
namespace {

using testing::JwtSigner;
using testing::TestKeyType;

constexpr common::UnixSeconds kNow = 1'800'000'000;
constexpr const char* kIssuer = "https://idp.example/realms/acme";

// The provider: discovery, its key set and a token endpoint answering what the test sets.
class FakeProvider final : public http::HttpClient {
 public:
  common::Result<http::HttpResponse> Send(const http::HttpRequest& request) override {
    requests.push_back(request);
    http::HttpResponse response;
    response.status = 200;
    if (request.url == std::string(kIssuer) + "/.well-known/openid-configuration") {
      if (discovery_down) return common::Status::Unavailable("connection refused");
      response.body = nlohmann::json{{"issuer", kIssuer},
                                     {"authorization_endpoint", std::string(kIssuer) + "/auth"},
                                     {"token_endpoint", std::string(kIssuer) + "/token"},
                                     {"jwks_uri", std::string(kIssuer) + "/certs"}}
                          .dump();
    } else if (request.url == std::string(kIssuer) + "/certs") {
      response.body = key_set;
    } else if (request.url == std::string(kIssuer) + "/token") {
      response.status = token_status;
      response.body = token_body;
    } else {
      response.status = 404;
    }
    return response;
  }
  std::vector<http::HttpRequest> requests;
  bool discovery_down = false;
  std::string key_set;
  int token_status = 200;
  std::string token_body;
};

std::map<std::string, std::string> QueryOf(const std::string& url) {
  std::map<std::string, std::string> out;
  std::string rest = url.substr(url.find('?') + 1);
  while (!rest.empty()) {
    const std::string pair = rest.substr(0, rest.find('&'));
    out[pair.substr(0, pair.find('='))] = pair.substr(pair.find('=') + 1);
    rest = rest.find('&') == std::string::npos ? "" : rest.substr(rest.find('&') + 1);
  }
  return out;
}

class OidcSignInTest : public ::testing::Test {
 protected:
  OidcSignInTest() : signer_(TestKeyType::kRsa, "idp-key") {
    provider_.key_set = testing::KeySetJson({signer_.PublicJwk()});
    settings_.issuer = kIssuer;
    settings_.client_id = "leadline";
    settings_.client_secret_file = "/etc/leadline/oidc-secret";
    settings_.redirect_url = "https://leadline.example.com/auth/oidc/callback";
    settings_.scopes = {"openid", "profile", "email", "groups"};
    settings_.roles = {{"/payments", {"payments"}, AccessLevel::kViewer}};
  }

  nlohmann::json Claims(const std::string& nonce) const {
    return {{"iss", kIssuer},         {"aud", "leadline"},
            {"sub", "f4a1"},          {"iat", kNow - 5},
            {"exp", kNow + 300},      {"nonce", nonce},
            {"email", "ann@acme.io"}, {"groups", {"/payments", "/payments/backend"}}};
  }
  void AnswerWithToken(const nlohmann::json& claims) {
    provider_.token_body = nlohmann::json{
        {"id_token", signer_.SignClaims(claims.dump(), "RS256")},
        {"access_token", "at"},
        {"token_type",
         "Bearer"}}.dump();
  }

  JwtSigner signer_;
  FakeProvider provider_;
  OidcSettings settings_;
};

TEST_F(OidcSignInTest, StartSendsThePersonToTheProviderWithStateNonceAndPkce) {
  OidcSignIn sign_in(settings_, "s3cret", provider_);
  const auto started = sign_in.Start("/?window=30d", kNow);
  ASSERT_TRUE(started.ok()) << started.status().message();
  ASSERT_TRUE(started->authorization_url.starts_with(std::string(kIssuer) + "/auth?"));
  const auto query = QueryOf(started->authorization_url);
  EXPECT_EQ(query.at("response_type"), "code");
  EXPECT_EQ(query.at("client_id"), "leadline");
  EXPECT_EQ(query.at("redirect_uri"), "https:%2F%2Fleadline.example.com%2Fauth%2Foidc%2Fcallback");
  EXPECT_EQ(query.at("scope"), "openid%20profile%20email%20groups");
  EXPECT_EQ(query.at("state"), started->state);
  EXPECT_EQ(query.at("nonce"), started->attempt.nonce);
  EXPECT_EQ(query.at("code_challenge_method"), "S256");
  EXPECT_EQ(query.at("code_challenge"), PkceChallenge(started->attempt.code_verifier));
  EXPECT_EQ(query.find("client_secret"), query.end());
  // Only the state's hash is kept; each attempt is new.
  EXPECT_EQ(started->attempt.state_hash, HashSecret(started->state));
  EXPECT_EQ(started->attempt.return_to, "/?window=30d");
  EXPECT_GE(started->attempt.code_verifier.size(), 43u);
  EXPECT_NE(sign_in.Start("/", kNow)->state, started->state);
}

TEST(PkceTest, TheChallengeIsTheRfc7636Example) {
  // RFC 7636 appendix B.
  EXPECT_EQ(PkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_F(OidcSignInTest, FinishExchangesTheCodeAndVerifiesTheIdToken) {
  OidcSignIn sign_in(settings_, "s3cret:&", provider_);
  const auto started = *sign_in.Start("/", kNow);
  AnswerWithToken(Claims(started.attempt.nonce));
  const auto person = sign_in.Finish("the-code", started.attempt, kNow);
  ASSERT_TRUE(person.ok()) << person.status().message();
  EXPECT_EQ(person->subject, "f4a1");
  EXPECT_EQ(person->name, "ann@acme.io");
  EXPECT_EQ(person->claim_values, (std::vector<std::string>{"/payments", "/payments/backend"}));

  const http::HttpRequest& exchange =
      provider_.requests.back().url == std::string(kIssuer) + "/certs"
          ? provider_.requests[provider_.requests.size() - 2]
          : provider_.requests.back();
  ASSERT_EQ(exchange.url, std::string(kIssuer) + "/token");
  EXPECT_EQ(exchange.method, "POST");
  EXPECT_NE(exchange.body.find("grant_type=authorization_code&code=the-code"), std::string::npos);
  EXPECT_NE(exchange.body.find("code_verifier=" + started.attempt.code_verifier),
            std::string::npos);
  EXPECT_EQ(exchange.body.find("s3cret"), std::string::npos);  // the secret goes in the header
  EXPECT_EQ(exchange.credentials.kind, http::Credentials::Kind::kBasic);
  EXPECT_EQ(exchange.credentials.username, "leadline");
  EXPECT_EQ(exchange.credentials.secret, "s3cret:%26");
}

TEST_F(OidcSignInTest, TokensThatFailACheckAreRefusedSayingWhich) {
  OidcSignIn sign_in(settings_, "s3cret", provider_);
  const auto started = *sign_in.Start("/", kNow);
  const auto refused = [&](const nlohmann::json& claims) {
    AnswerWithToken(claims);
    const auto result = sign_in.Finish("code", started.attempt, kNow);
    EXPECT_EQ(result.status().code(), common::StatusCode::kUnauthenticated);
    return result.status().message();
  };
  EXPECT_NE(refused(Claims("another-sign-ins-nonce")).find("nonce"), std::string::npos);
  nlohmann::json no_nonce = Claims("");
  no_nonce.erase("nonce");
  EXPECT_NE(refused(no_nonce).find("nonce"), std::string::npos);
  nlohmann::json other_client = Claims(started.attempt.nonce);
  other_client["aud"] = "another-client";
  EXPECT_FALSE(refused(other_client).empty());
  nlohmann::json several = Claims(started.attempt.nonce);
  several["aud"] = {"leadline", "another-client"};
  several["azp"] = "another-client";
  EXPECT_NE(refused(several).find("azp"), std::string::npos);
  nlohmann::json other_issuer = Claims(started.attempt.nonce);
  other_issuer["iss"] = "https://evil.example";
  EXPECT_FALSE(refused(other_issuer).empty());
  nlohmann::json expired = Claims(started.attempt.nonce);
  expired["exp"] = kNow - 120;
  EXPECT_FALSE(refused(expired).empty());

  // alg "none" and an HMAC over the public key: never.
  provider_.token_body =
      nlohmann::json{{"id_token",
                      testing::SignHs256(R"({"alg":"HS256"})", Claims(started.attempt.nonce).dump(),
                                         signer_.PublicJwk())}}
          .dump();
  EXPECT_FALSE(sign_in.Finish("code", started.attempt, kNow).ok());

  provider_.token_status = 400;
  provider_.token_body =
      R"({"error":"invalid_grant","error_description":"grant request is invalid"})";
  const auto reused = sign_in.Finish("code", started.attempt, kNow);
  EXPECT_EQ(reused.status().code(), common::StatusCode::kUnauthenticated);
  EXPECT_NE(reused.status().message().find("invalid_grant"), std::string::npos);
  provider_.token_status = 503;
  EXPECT_EQ(sign_in.Finish("code", started.attempt, kNow).status().code(),
            common::StatusCode::kUnavailable);
}

TEST_F(OidcSignInTest, AnUnreachableProviderIsAskedAgainOnlyAfterTenSeconds) {
  provider_.discovery_down = true;
  OidcSignIn sign_in(settings_, "s3cret", provider_);
  EXPECT_EQ(sign_in.Start("/", kNow).status().code(), common::StatusCode::kUnavailable);
  EXPECT_EQ(sign_in.Start("/", kNow + 5).status().code(), common::StatusCode::kUnavailable);
  EXPECT_EQ(provider_.requests.size(), 1u);
  provider_.discovery_down = false;
  EXPECT_TRUE(sign_in.Start("/", kNow + 10).ok());
  EXPECT_EQ(provider_.requests.size(), 2u);
}

TEST_F(OidcSignInTest, SettingsAreChecked) {
  EXPECT_TRUE(CheckOidcSettings(settings_).ok());
  const auto fails = [&](auto change, const std::string& says) {
    OidcSettings settings = settings_;
    change(settings);
    const common::Status status = CheckOidcSettings(settings);
    EXPECT_NE(status.message().find(says), std::string::npos) << status.message();
  };
  fails([](OidcSettings& s) { s.issuer = "http://idp.example"; }, "issuer");
  fails([](OidcSettings& s) { s.redirect_url = "https://leadline.example.com/"; }, "redirect_url");
  fails([](OidcSettings& s) { s.scopes = {"profile"}; }, "openid");
  fails([](OidcSettings& s) { s.algorithms = {"HS256"}; }, "HS256");
  fails([](OidcSettings& s) { s.roles.clear(); }, "no [[roles]]");
  fails([](OidcSettings& s) { s.session_idle = 60; }, "session_idle");
  fails([](OidcSettings& s) { s.client_secret_file.clear(); }, "client_secret_file");
  EXPECT_EQ(settings_.origin(), "https://leadline.example.com");
  EXPECT_TRUE(settings_.secure());
  EXPECT_EQ(settings_.DisplayName(), "idp.example");
}

}  // namespace
}  // namespace leadline::auth
