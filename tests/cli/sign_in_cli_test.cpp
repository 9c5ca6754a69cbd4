// End-to-end tests of people's sign-in against the real `leadline serve`: an OpenID Provider on
// loopback (discovery, key set, token endpoint checking the client secret, the code's single use
// and PKCE) plays the provider's part, and the test plays the browser's, following redirects by
// hand. A person lands with a session cookie that sees exactly their roles' projects; an admin
// may push from the dashboard's origin only; a forged or replayed state, a reused code, a person
// without a role, a revoked or signed-out session are refused, saying why. (The browser tests in
// web/tests/oidc.test.mjs do the same through a certified provider's real pages in Chromium.)
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "auth/oidc_sign_in.h"
#include "common/base64.h"
#include "serve_cli_fixture.h"
#include "testing/jwt_signer.h"

namespace {

using leadline::testing::Bearer;
using leadline::testing::JwtSigner;
using leadline::testing::ShellQuote;
using leadline::testing::TestKeyType;
using nlohmann::json;

constexpr const char* kClientSecret = "the-client-secret";
// The dashboard's origin as [oidc] names it (the callback is reached by hand here).
constexpr const char* kOrigin = "http://127.0.0.1:9";

std::string QueryParameter(const std::string& url, const std::string& name) {
  httplib::Params params;
  httplib::detail::parse_query_text(url.substr(url.find('?') + 1), params);
  const auto found = params.find(name);
  return found == params.end() ? "" : found->second;
}

// The provider: it issues a code for whatever the test "authorizes", once.
class Provider {
 public:
  Provider() : signer_(TestKeyType::kRsa, "idp-1") {
    server_.Get("/.well-known/openid-configuration",
                [this](const httplib::Request&, httplib::Response& res) {
                  res.set_content(json{{"issuer", url()},
                                       {"authorization_endpoint", url() + "/authorize"},
                                       {"token_endpoint", url() + "/token"},
                                       {"jwks_uri", url() + "/keys"}}
                                      .dump(),
                                  "application/json");
                });
    server_.Get("/keys", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(leadline::testing::KeySetJson({signer_.PublicJwk()}), "application/json");
    });
    server_.Post("/token",
                 [this](const httplib::Request& req, httplib::Response& res) { Answer(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Provider() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // What the provider's login pages would do for `login` at the authorization URL: a code.
  std::string Authorize(const std::string& authorization_url, const std::string& login,
                        const std::vector<std::string>& groups) {
    std::lock_guard lock(mutex_);
    const std::string code = "code-" + std::to_string(++issued_);
    codes_[code] = {login, groups, QueryParameter(authorization_url, "nonce"),
                    QueryParameter(authorization_url, "code_challenge")};
    return code;
  }

 private:
  struct Grant {
    std::string login;
    std::vector<std::string> groups;
    std::string nonce, challenge;
  };

  void Answer(const httplib::Request& req, httplib::Response& res) {
    const auto refuse = [&](const char* error) {
      res.status = 400;
      res.set_content(json{{"error", error}}.dump(), "application/json");
    };
    const std::string basic =
        "Basic " + leadline::common::Base64(std::string("leadline:") + kClientSecret);
    if (req.get_header_value("Authorization") != basic) return refuse("invalid_client");
    std::lock_guard lock(mutex_);
    const auto found = codes_.find(req.get_param_value("code"));
    if (found == codes_.end()) return refuse("invalid_grant");  // unknown, or used already
    const Grant grant = found->second;
    codes_.erase(found);
    if (leadline::auth::PkceChallenge(req.get_param_value("code_verifier")) != grant.challenge) {
      return refuse("invalid_grant");
    }
    const auto now = leadline::common::NowUnixSeconds();
    const json claims = {{"iss", url()},
                         {"aud", "leadline"},
                         {"sub", "sub-" + grant.login},
                         {"iat", now},
                         {"exp", now + 300},
                         {"nonce", grant.nonce},
                         {"groups", grant.groups},
                         {"email", grant.login + "@example.com"}};
    res.set_content(json{{"id_token", signer_.SignClaims(claims.dump(), "RS256")},
                         {"token_type", "Bearer"},
                         {"access_token", "opaque"}}
                        .dump(),
                    "application/json");
  }

  JwtSigner signer_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, Grant> codes_;
  int issued_ = 0;
};

class SignInCliTest : public leadline::testing::ReadApiTest {
 protected:
  void BeforeServe() override {
    std::ofstream(dir_.Child("oidc-secret")) << kClientSecret << "\n";
    std::ofstream(dir_.Child("people.toml"))
        << "[oidc]\nissuer = \"" << provider_.url() << "\"\nclient_id = \"leadline\"\n"
        << "client_secret_file = \"" << dir_.Child("oidc-secret") << "\"\nredirect_url = \""
        << kOrigin << "/auth/oidc/callback\"\ncontact = \"#leadline-help\"\n"
        << "[[roles]]\nvalue = \"team-a\"\nprojects = [\"pa\"]\n"
        << "[[roles]]\nvalue = \"ops\"\nprojects = [\"*\"]\nlevel = \"admin\"\n";
  }
  std::string ServeArguments() const override {
    return "--config " + ShellQuote(dir_.Child("people.toml"));
  }

  struct Callback {
    int status = 0;
    std::string location, cookie, body;
  };
  // The browser's way through: login, the provider, the callback.
  std::string StartSignIn(const std::string& return_to = "/") {
    auto login = client_->Get("/auth/oidc/login?return_to=" + return_to);
    EXPECT_TRUE(login);
    if (!login) return "";
    EXPECT_EQ(login->status, 302) << login->body;
    return login->get_header_value("Location");
  }
  Callback Return(const std::string& code, const std::string& state) {
    auto answer = client_->Get("/auth/oidc/callback?code=" + code + "&state=" + state);
    EXPECT_TRUE(answer);
    if (!answer) return {};
    Callback out{answer->status, answer->get_header_value("Location"), "", answer->body};
    const std::string set_cookie = answer->get_header_value("Set-Cookie");
    if (set_cookie.starts_with("leadline_session=")) {
      out.cookie = set_cookie.substr(0, set_cookie.find(';'));
    }
    return out;
  }
  Callback SignIn(const std::string& login, const std::vector<std::string>& groups) {
    const std::string authorization = StartSignIn("/%3Fwindow%3D30d");
    return Return(provider_.Authorize(authorization, login, groups),
                  QueryParameter(authorization, "state"));
  }
  std::pair<int, json> GetWithCookie(const std::string& path, const std::string& cookie) {
    auto response = client_->Get(path, {{"Cookie", cookie}});
    EXPECT_TRUE(response) << path;
    if (!response) return {0, json()};
    return {response->status, json::parse(response->body, nullptr, false)};
  }

  Provider provider_;
};

TEST_F(SignInCliTest, APersonSeesTheProjectsOfTheirRolesThroughTheirSessionCookie) {
  const std::string authorization = StartSignIn();
  ASSERT_TRUE(authorization.starts_with(provider_.url() + "/authorize?")) << authorization;
  EXPECT_EQ(QueryParameter(authorization, "code_challenge_method"), "S256");
  EXPECT_EQ(QueryParameter(authorization, "redirect_uri"),
            std::string(kOrigin) + "/auth/oidc/callback");

  const Callback signed_in = SignIn("ann", {"team-a", "other"});
  ASSERT_EQ(signed_in.status, 302) << signed_in.body;
  EXPECT_EQ(signed_in.location, "/?window=30d");
  ASSERT_FALSE(signed_in.cookie.empty());

  auto [status, body] = GetWithCookie("/v1/repositories", signed_in.cookie);
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_EQ(body["items"].size(), 1u) << body.dump();
  EXPECT_EQ(body["items"][0]["repository"], "acme/repo-1");
  // The same scope as a token of project pa, aggregates included.
  EXPECT_EQ(
      GetWithCookie("/v1/metrics/dora?" + leadline::testing::kWholeHistory, signed_in.cookie)
          .second["summary"],
      Get("/v1/metrics/dora?" + leadline::testing::kWholeHistory, reader_a_).second["summary"]);
  EXPECT_EQ(GetWithCookie("/v1/metrics/dora?project=pb", signed_in.cookie).first, 404);
  std::tie(status, body) = GetWithCookie("/auth/session", signed_in.cookie);
  EXPECT_EQ(body, (json{{"name", "person ann@example.com"},
                        {"session", true},
                        {"scopes", {"read"}},
                        {"projects", {"pa"}}}));
  // A viewer may not push.
  auto push = client_->Post("/v1/deployments", {{"Cookie", signed_in.cookie}, {"Origin", kOrigin}},
                            "{}", "application/json");
  ASSERT_TRUE(push);
  EXPECT_EQ(push->status, 403) << push->body;
  EXPECT_NE(push->body.find("roles do not grant 'write:events'"), std::string::npos) << push->body;

  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_log WHERE token_name = 'person ann@example.com' "
                  "AND path = '/v1/repositories' AND status = 200"),
            "1");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM person_sessions"), "1");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM sign_in_attempts"), "1");  // the first, never finished
}

TEST_F(SignInCliTest, AnAdminChangesThingsOnlyFromTheDashboardsOrigin) {
  const Callback admin = SignIn("ops-person", {"ops"});
  ASSERT_EQ(admin.status, 302) << admin.body;
  const std::string deployment =
      R"({"id": "d-1", "repository": "acme/repo-2", "environment": "production", "commit": )"
      R"("0123456789ab", "status": "success", "finished_at": ")" +
      leadline::common::FormatRfc3339(leadline::common::NowUnixSeconds()) + R"("})";
  auto elsewhere = client_->Post("/v1/deployments",
                                 {{"Cookie", admin.cookie}, {"Origin", "https://evil.example"}},
                                 deployment, "application/json");
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->status, 403) << elsewhere->body;
  auto no_origin =
      client_->Post("/v1/deployments", {{"Cookie", admin.cookie}}, deployment, "application/json");
  ASSERT_TRUE(no_origin);
  EXPECT_EQ(no_origin->status, 403) << no_origin->body;
  auto own = client_->Post("/v1/deployments", {{"Cookie", admin.cookie}, {"Origin", kOrigin}},
                           deployment, "application/json");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200) << own->body;
  // A token wins over a cookie: the reader's token cannot push, whatever cookie comes along.
  auto mixed = client_->Post(
      "/v1/deployments",
      {{"Cookie", admin.cookie}, {"Origin", kOrigin}, {"Authorization", "Bearer " + reader_a_}},
      deployment, "application/json");
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->status, 403);
}

TEST_F(SignInCliTest, ForgedReplayedOrReusedCallbacksAndRolelessPeopleAreRefused) {
  const std::string authorization = StartSignIn();
  const std::string state = QueryParameter(authorization, "state");
  const std::string code = provider_.Authorize(authorization, "ann", {"team-a"});

  EXPECT_EQ(Return(code, "forged-state").status, 401);
  const Callback first = Return(code, state);
  ASSERT_EQ(first.status, 302) << first.body;
  // The same callback again: its state was used.
  const Callback replayed = Return(code, state);
  EXPECT_EQ(replayed.status, 401);
  EXPECT_NE(replayed.body.find("expired or was finished already"), std::string::npos);
  EXPECT_TRUE(replayed.cookie.empty());
  // A fresh sign-in presenting a code the provider handed out before: the provider refuses it.
  const Callback reused = Return(code, QueryParameter(StartSignIn(), "state"));
  EXPECT_EQ(reused.status, 401) << reused.body;
  EXPECT_NE(reused.body.find("invalid_grant"), std::string::npos) << reused.body;
  // The provider's own refusal (the person pressed Cancel).
  const Callback cancelled =
      Return("x&error=access_denied", QueryParameter(StartSignIn(), "state"));
  EXPECT_EQ(cancelled.status, 401);

  const Callback roleless = SignIn("carol", {"contractors"});
  EXPECT_EQ(roleless.status, 403);
  EXPECT_TRUE(roleless.cookie.empty());
  EXPECT_NE(roleless.body.find("carol@example.com"), std::string::npos) << roleless.body;
  EXPECT_NE(roleless.body.find("Ask #leadline-help"), std::string::npos) << roleless.body;
  const Callback no_groups = SignIn("dan", {});
  EXPECT_EQ(no_groups.status, 403);
  EXPECT_NE(no_groups.body.find("sent no 'groups' values"), std::string::npos) << no_groups.body;

  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_log WHERE token_name = 'person carol@example.com' "
                  "AND status = 403"),
            "1");
  EXPECT_EQ(Query("SELECT SUM(count) FROM audit_refusals WHERE reason = 'bad_state'"), "2");
  EXPECT_EQ(Query("SELECT SUM(count) FROM audit_refusals WHERE reason = 'sign_in_refused'"), "2");
}

TEST_F(SignInCliTest, ARevokedOrSignedOutSessionIsRefusedAtItsNextRequest) {
  const Callback ann = SignIn("ann", {"team-a"});
  const Callback again = SignIn("ann", {"team-a"});
  const Callback ops = SignIn("ops-person", {"ops"});
  ASSERT_EQ(GetWithCookie("/v1/repositories", ann.cookie).first, 200);

  const leadline::testing::LeadlineRun listed = Leadline("sessions list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("ann@example.com"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("ops-person@example.com"), std::string::npos) << listed.out;
  const leadline::testing::LeadlineRun revoked = Leadline("sessions revoke ann@example.com");
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_NE(revoked.out.find("2 session(s) ended"), std::string::npos) << revoked.out;
  auto [status, body] = GetWithCookie("/v1/repositories", ann.cookie);
  EXPECT_EQ(status, 401);
  EXPECT_NE(body.dump().find("ended"), std::string::npos) << body.dump();
  EXPECT_EQ(GetWithCookie("/v1/repositories", again.cookie).first, 401);
  EXPECT_NE(Leadline("sessions revoke ann@example.com").exit_code, 0);  // none live

  // Signing out needs the dashboard's origin, then ends the session and clears the cookie.
  auto cross = client_->Post("/auth/sign-out", {{"Cookie", ops.cookie}, {"Origin", "https://x"}},
                             "", "text/plain");
  ASSERT_TRUE(cross);
  EXPECT_EQ(cross->status, 403);
  ASSERT_EQ(GetWithCookie("/v1/repositories", ops.cookie).first, 200);
  auto out = client_->Post("/auth/sign-out", {{"Cookie", ops.cookie}, {"Origin", kOrigin}}, "",
                           "text/plain");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200);
  EXPECT_TRUE(out->get_header_value("Set-Cookie").starts_with("leadline_session=; "));
  EXPECT_EQ(GetWithCookie("/v1/repositories", ops.cookie).first, 401);
  EXPECT_EQ(GetWithCookie("/v1/repositories", "leadline_session=made-up").first, 401);
}

class SignInThrottleCliTest : public SignInCliTest {
 protected:
  std::string ServeArguments() const override {
    return SignInCliTest::ServeArguments() + " --max-sign-ins-per-client 3";
  }
};

TEST_F(SignInThrottleCliTest, OneClientStartsOnlySoManySignInsAndTheOnesStartedStillFinish) {
  std::vector<std::string> started;
  for (int i = 0; i < 3; ++i) started.push_back(StartSignIn());
  auto refused = client_->Get("/auth/oidc/login?return_to=/");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429) << refused->body;
  const int retry_after = std::atoi(refused->get_header_value("Retry-After").c_str());
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, 600);
  EXPECT_NE(refused->body.find("Too many sign-ins"), std::string::npos) << refused->body;
  // A sign-in started before the limit still finishes.
  const std::string code = provider_.Authorize(started.back(), "ann", {"team-a"});
  EXPECT_EQ(Return(code, QueryParameter(started.back(), "state")).status, 302);

  const auto bad = Leadline("serve --listen 127.0.0.1:0 --max-sign-ins-per-client -1");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--max-sign-ins-per-client must be from 0"), std::string::npos) << bad.err;
}

}  // namespace

namespace {

// The admin API: people with admin over every project (and unlimited admin tokens) manage
// tokens, projects and sessions; nobody with less does.
class AdminApiTest : public SignInCliTest {
 protected:
  std::pair<int, json> Send(const std::string& method, const std::string& path,
                            const httplib::Headers& headers, const std::string& body = "") {
    return leadline::testing::SendJson(*client_, method, path, headers, body);
  }
  static httplib::Headers AsPerson(const Callback& person) {
    return {{"Cookie", person.cookie}, {"Origin", kOrigin}};
  }
};

TEST_F(AdminApiTest, AnAdminOverEveryProjectManagesTokensProjectsAndSessions) {
  const Callback ops = SignIn("ops-person", {"ops"});
  const Callback ann = SignIn("ann", {"team-a"});
  ASSERT_EQ(ops.status, 302);

  auto [status, body] =
      Send("PUT", "/v1/admin/projects/web", AsPerson(ops), R"({"repositories": ["acme/repo-2"]})");
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["repositories"], json({"acme/repo-2"}));
  std::tie(status, body) =
      Send("PUT", "/v1/admin/projects/none", AsPerson(ops), R"({"repositories": ["nothing/*"]})");
  EXPECT_EQ(status, 404) << body.dump();

  std::tie(status, body) = Send(
      "POST", "/v1/admin/tokens", AsPerson(ops),
      R"({"name": "web-reader", "scopes": ["read"], "projects": ["web"], "expires_in_days": 7})");
  ASSERT_EQ(status, 201) << body.dump();
  const std::string secret = body["secret"];
  EXPECT_TRUE(secret.starts_with("llt_"));
  EXPECT_FALSE(body["expires_at"].is_null());
  auto [read_status, repositories] = Get("/v1/repositories", secret);
  ASSERT_EQ(read_status, 200);
  ASSERT_EQ(repositories["items"].size(), 1u);
  EXPECT_EQ(repositories["items"][0]["repository"], "acme/repo-2");
  // The same name again, an unknown scope, an unknown project: refused.
  EXPECT_EQ(Send("POST", "/v1/admin/tokens", AsPerson(ops),
                 R"({"name": "web-reader", "scopes": ["read"]})")
                .first,
            409);
  EXPECT_EQ(
      Send("POST", "/v1/admin/tokens", AsPerson(ops), R"({"name": "x", "scopes": ["root"]})").first,
      400);
  EXPECT_EQ(Send("POST", "/v1/admin/tokens", AsPerson(ops),
                 R"({"name": "x", "scopes": ["read"], "projects": ["nope"]})")
                .first,
            404);
  EXPECT_EQ(Send("POST", "/v1/admin/tokens", AsPerson(ops), "not json").first, 400);
  // A project a live token is scoped to stays.
  EXPECT_EQ(Send("DELETE", "/v1/admin/projects/web", AsPerson(ops)).first, 409);
  std::tie(status, body) = Send("GET", "/v1/admin/tokens", AsPerson(ops));
  ASSERT_EQ(status, 200);
  EXPECT_EQ(body.dump().find("llt_"), std::string::npos) << "no secret is listed";
  EXPECT_EQ(Send("DELETE", "/v1/admin/tokens/web-reader", AsPerson(ops)).first, 200);
  EXPECT_EQ(Get("/v1/repositories", secret).first, 401);
  EXPECT_EQ(Send("DELETE", "/v1/admin/projects/web", AsPerson(ops)).first, 200);

  std::tie(status, body) = Send("GET", "/v1/admin/sessions", AsPerson(ops));
  ASSERT_EQ(status, 200);
  std::int64_t ann_session = 0;
  for (const json& session : body["items"]) {
    if (session["person"] == "ann@example.com") ann_session = session["id"];
  }
  ASSERT_NE(ann_session, 0) << body.dump();
  EXPECT_EQ(
      Send("DELETE", "/v1/admin/sessions/" + std::to_string(ann_session), AsPerson(ops)).first,
      200);
  EXPECT_EQ(GetWithCookie("/v1/repositories", ann.cookie).first, 401);
}

TEST_F(AdminApiTest, NobodyWithLessThanAdminOverEveryProjectManagesAccess) {
  const Callback ann = SignIn("ann", {"team-a"});  // a viewer
  EXPECT_EQ(Send("GET", "/v1/admin/tokens", AsPerson(ann)).first, 403);
  EXPECT_EQ(
      Send("POST", "/v1/admin/tokens", AsPerson(ann), R"({"name": "mine", "scopes": ["admin"]})")
          .first,
      403);
  // An admin token limited to a project could mint itself a wider one: refused.
  const std::string limited_admin = Token("--name pa-admin --scopes admin --projects pa");
  auto [status, body] = Send("POST", "/v1/admin/tokens", Bearer(limited_admin),
                             R"({"name": "wider", "scopes": ["admin"]})");
  EXPECT_EQ(status, 403) << body.dump();
  EXPECT_NE(body.dump().find("admin over every project"), std::string::npos) << body.dump();
  // An unlimited admin token may; no token, no entry.
  const std::string admin = Token("--name all-admin --scopes admin");
  EXPECT_EQ(Send("GET", "/v1/admin/sessions", Bearer(admin)).first, 200);
  EXPECT_EQ(Send("GET", "/v1/admin/sessions", {}).first, 401);
  EXPECT_EQ(Send("DELETE", "/v1/admin/sessions/abc", Bearer(admin)).first, 404);
}

}  // namespace
