#include "auth/person_sessions.h"

#include <gtest/gtest.h>

namespace leadline::auth {
namespace {

constexpr common::UnixSeconds kStart = 1'800'000'000;

class PersonSessionsTest : public ::testing::Test {
 protected:
  PersonSessionsTest() {
    settings_.roles = {{"/payments", {"payments"}, AccessLevel::kViewer},
                       {"/ops", {"*"}, AccessLevel::kAdmin}};
    session_.id = 7;
    session_.name = "ann@acme.io";
    session_.claim_values = {"/payments"};
    session_.created_at = kStart;
    session_.last_seen_at = kStart;
    session_.expires_at = kStart + settings_.session_lifetime;
  }
  common::Result<Principal> Check(common::UnixSeconds now) {
    refusal_.clear();
    return AuthenticateSession(session_, settings_, projects_, now, &refusal_);
  }

  OidcSettings settings_;
  model::PersonSession session_;
  std::vector<model::Project> projects_ = {{1, "payments", {10, 11}}, {2, "platform", {20}}};
  std::string refusal_;
};

TEST_F(PersonSessionsTest, ASessionSeesTheRepositoriesOfItsRolesProjects) {
  const auto principal = Check(kStart + 10);
  ASSERT_TRUE(principal.ok()) << principal.status().message();
  EXPECT_EQ(principal->token_name, "person ann@acme.io");
  EXPECT_EQ(principal->scopes, std::vector<std::string>{"read"});
  EXPECT_EQ(principal->projects, std::vector<std::string>{"payments"});
  EXPECT_EQ(principal->repositories, (std::set<std::int64_t>{10, 11}));
  EXPECT_TRUE(principal->MaySee(10));
  EXPECT_FALSE(principal->MaySee(20));
  EXPECT_FALSE(principal->Has("write:events"));
  EXPECT_EQ(principal->session_id, 7);

  session_.claim_values = {"/payments", "/ops"};
  const auto admin = Check(kStart + 10);
  ASSERT_TRUE(admin.ok());
  EXPECT_FALSE(admin->repositories.has_value());  // every repository
  EXPECT_TRUE(admin->Has("admin"));
}

TEST_F(PersonSessionsTest, UnknownRevokedExpiredIdleOrRolelessSessionsAreRefused) {
  EXPECT_FALSE(AuthenticateSession(std::nullopt, settings_, projects_, kStart, &refusal_).ok());
  EXPECT_EQ(refusal_, "unknown_session");

  EXPECT_FALSE(Check(kStart + settings_.session_idle).ok());
  EXPECT_EQ(refusal_, "expired_session");
  session_.last_seen_at = kStart + settings_.session_lifetime - 60;
  EXPECT_TRUE(Check(kStart + settings_.session_lifetime - 1).ok());
  EXPECT_FALSE(Check(kStart + settings_.session_lifetime).ok());  // the absolute expiry
  EXPECT_EQ(refusal_, "expired_session");

  session_.last_seen_at = kStart;
  session_.revoked_at = kStart + 5;
  EXPECT_EQ(Check(kStart + 10).status().code(), common::StatusCode::kUnauthenticated);
  EXPECT_EQ(refusal_, "revoked_session");

  session_.revoked_at.reset();
  session_.claim_values = {"/left-the-team"};  // the mapping changed since the sign-in
  EXPECT_FALSE(Check(kStart + 10).ok());
  EXPECT_EQ(refusal_, "no_role");
}

TEST_F(PersonSessionsTest, DefaultProjectsLetEveryoneInAsAViewerWhenSignInIsNotStrict) {
  session_.claim_values = {"/unmapped"};
  EXPECT_FALSE(Check(kStart + 10).ok());  // strict: the default
  settings_.default_projects = {"platform"};
  const auto viewer = Check(kStart + 10);
  ASSERT_TRUE(viewer.ok()) << viewer.status().message();
  EXPECT_EQ(viewer->repositories, (std::set<std::int64_t>{20}));
  EXPECT_EQ(viewer->scopes, std::vector<std::string>{"read"});
  // A mapped value still wins over the default.
  session_.claim_values = {"/payments"};
  EXPECT_EQ(Check(kStart + 10)->repositories, (std::set<std::int64_t>{10, 11}));
  settings_.default_projects = {"*"};
  session_.claim_values = {};
  EXPECT_FALSE(Check(kStart + 10)->repositories.has_value());
  EXPECT_TRUE(CheckOidcSettings([&] {
                OidcSettings only_default = settings_;
                only_default.issuer = "https://idp.example";
                only_default.client_id = "c";
                only_default.client_secret_file = "/s";
                only_default.redirect_url = "https://l.example/auth/oidc/callback";
                only_default.roles.clear();
                return only_default;
              }())
                  .ok());
}

}  // namespace
}  // namespace leadline::auth
