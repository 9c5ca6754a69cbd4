#include "auth/ci_trust.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/jwt_signer.h"

namespace leadline::auth {
namespace {

using testing::JwtSigner;
using testing::TestKeyType;

constexpr common::UnixSeconds kNow = 1'800'000'000;
constexpr const char* kIssuer = "https://gitlab.example.com";

class CiTrustTest : public ::testing::Test {
 protected:
  CiTrustTest() : signer_(TestKeyType::kRsa, "gitlab-key") {}

  CiTrust Trust(CiTrustRule rule) {
    const std::string keys = testing::KeySetJson({signer_.PublicJwk()});
    return CiTrust({std::move(rule)}, [this, keys](const std::string& url) {
      fetched_.push_back(url);
      return common::Result<FetchedKeySet>(FetchedKeySet{200, keys, ""});
    });
  }
  static CiTrustRule Rule() {
    CiTrustRule rule;
    rule.issuer = kIssuer;
    rule.audiences = {"https://leadline.example"};
    return rule;
  }
  // A GitLab CI id_token of a deployment job on a protected branch, as identity.md lists them.
  static nlohmann::json Claims() {
    return {{"iss", kIssuer},
            {"aud", "https://leadline.example"},
            {"sub", "project_path:acme/api:ref_type:branch:ref:main"},
            {"iat", kNow - 10},
            {"nbf", kNow - 10},
            {"exp", kNow + 300},
            {"jti", "7c2a0c8e-1f0a-4c8e-9a51-6c1b4f6e2d10"},
            {"namespace_path", "acme"},
            {"project_id", "42"},
            {"project_path", "acme/api"},
            {"pipeline_id", "1001"},
            {"job_id", "5005"},
            {"ref", "main"},
            {"ref_type", "branch"},
            {"ref_protected", "true"},
            {"environment", "production"},
            {"deployment_tier", "production"}};
  }
  std::string Sign(const nlohmann::json& claims) {
    return signer_.SignClaims(claims.dump(), "RS256");
  }

  JwtSigner signer_;
  std::vector<std::string> fetched_;
};

TEST_F(CiTrustTest, AProtectedJobOfAProjectSpeaksForThatProjectOnce) {
  CiTrust trust = Trust(Rule());
  const std::string token = Sign(Claims());
  ASSERT_TRUE(LooksLikeJwt(token));
  const auto identity = trust.Verify(token, kNow);
  ASSERT_TRUE(identity.ok()) << identity.status().message();
  EXPECT_EQ(identity->project, "acme/api");
  EXPECT_EQ(identity->pipeline, "1001");
  EXPECT_EQ(identity->job, "5005");
  EXPECT_EQ(identity->AuditName(),
            "ci gitlab https://gitlab.example.com acme/api pipeline 1001 job 5005 "
            "(project_path:acme/api:ref_type:branch:ref:main)");
  // The key set comes from the rule's issuer, never from the token.
  EXPECT_EQ(fetched_, std::vector<std::string>{"https://gitlab.example.com/oauth/discovery/keys"});

  const auto again = trust.Verify(token, kNow + 1);
  EXPECT_EQ(again.status().code(), common::StatusCode::kUnauthenticated);
  EXPECT_NE(again.status().message().find("used before"), std::string::npos);
}

TEST_F(CiTrustTest, WhatTheRuleDoesNotAllowIsRefusedSayingWhy) {
  CiTrust trust = Trust([] {
    CiTrustRule rule = Rule();
    rule.environments = {"production"};
    return rule;
  }());
  nlohmann::json unprotected = Claims();
  unprotected["ref_protected"] = "false";
  unprotected["ref"] = "feature/x";
  auto refused = trust.Verify(Sign(unprotected), kNow);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("'feature/x' is not protected"), std::string::npos)
      << refused.status().message();

  // A merge request from a fork: the job ran in the fork.
  nlohmann::json fork = Claims();
  fork["jti"] = "fork";
  fork["job_project_path"] = "mallory/api";
  refused = trust.Verify(Sign(fork), kNow);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("'mallory/api'"), std::string::npos);

  nlohmann::json staging = Claims();
  staging["jti"] = "staging";
  staging["environment"] = "staging";
  staging["deployment_tier"] = "staging";
  refused = trust.Verify(Sign(staging), kNow);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("'staging' is not one the trust rule"),
            std::string::npos);

  nlohmann::json by_tier = Claims();  // an environment named otherwise, of the production tier
  by_tier["jti"] = "tier";
  by_tier["environment"] = "eu-live";
  EXPECT_TRUE(trust.Verify(Sign(by_tier), kNow).ok());
}

TEST_F(CiTrustTest, TokensOfOtherIssuersAudiencesOrKeysAreNotValid) {
  CiTrust trust = Trust(Rule());
  nlohmann::json other_issuer = Claims();
  other_issuer["iss"] = "https://gitlab.example.com/";  // not exactly the rule's
  auto refused = trust.Verify(Sign(other_issuer), kNow);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kUnauthenticated);

  nlohmann::json other_audience = Claims();
  other_audience["aud"] = "https://elsewhere.example";
  refused = trust.Verify(Sign(other_audience), kNow);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("not valid"), std::string::npos);

  const JwtSigner stranger(TestKeyType::kRsa, "gitlab-key");  // same kid, another key
  refused = trust.Verify(stranger.SignClaims(Claims().dump(), "RS256"), kNow);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kUnauthenticated);

  nlohmann::json no_project = Claims();
  no_project.erase("project_path");
  refused = trust.Verify(Sign(no_project), kNow);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kUnauthenticated);

  EXPECT_FALSE(trust.Verify("llt_not_a_jwt", kNow).ok());
  nlohmann::json huge = Claims();
  huge["padding"] = std::string(20 * 1024, 'x');
  refused = trust.Verify(Sign(huge), kNow);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("larger than 16384 bytes"), std::string::npos)
      << refused.status().message();
  EXPECT_FALSE(LooksLikeJwt("llt_abc"));
  EXPECT_FALSE(LooksLikeJwt("a.b.c.d"));
}

// A Bitbucket Pipelines step token, in the shape identity.md gives.
class BitbucketCiTrustTest : public CiTrustTest {
 protected:
  static constexpr const char* kBitbucketIssuer =
      "https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
  static CiTrustRule BitbucketRule() {
    CiTrustRule rule;
    rule.provider = "bitbucket";
    rule.issuer = kBitbucketIssuer;
    rule.audiences = {"ari:cloud:bitbucket::workspace/{0a0a}"};
    return rule;
  }
  static nlohmann::json StepClaims() {
    return {{"iss", kBitbucketIssuer},
            {"aud", "ari:cloud:bitbucket::workspace/{0a0a}"},
            {"sub", "{REPO-1}:{ENV-1}:{STEP-1}"},
            {"iat", kNow},
            {"exp", kNow + 300},
            {"workspaceUuid", "{0a0a}"},
            {"repositoryUuid", "{C0FFEE00-0000-4000-8000-000000000101}"},
            {"pipelineUuid", "{p-1}"},
            {"stepUuid", "{s-1}"},
            {"deploymentEnvironmentUuid", "{ENV-1}"},
            {"branchName", "main"}};
  }
};

TEST_F(BitbucketCiTrustTest, AStepSpeaksForItsRepositoryByUuid) {
  CiTrustRule rule = BitbucketRule();
  rule.branches = {"main"};
  rule.environments = {"Production"};
  CiTrust trust = Trust(rule);
  const auto identity = trust.Verify(Sign(StepClaims()), kNow);
  ASSERT_TRUE(identity.ok()) << identity.status().message();
  EXPECT_EQ(identity->provider, "bitbucket");
  EXPECT_EQ(identity->project, "{c0ffee00-0000-4000-8000-000000000101}");
  EXPECT_EQ(identity->environment_uuid, "{env-1}");
  EXPECT_EQ(identity->environments_to_check, std::vector<std::string>{"Production"});
  EXPECT_EQ(identity->job, "{s-1}");
  EXPECT_EQ(fetched_, std::vector<std::string>{std::string(kBitbucketIssuer) + "/keys.json"});
  // No jti: the step and the time it was issued name the token.
  EXPECT_EQ(trust.Verify(Sign(StepClaims()), kNow).status().code(),
            common::StatusCode::kUnauthenticated);

  nlohmann::json feature = StepClaims();
  feature["stepUuid"] = "{s-2}";
  feature["branchName"] = "feature/x";
  auto refused = trust.Verify(Sign(feature), kNow);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("'feature/x'"), std::string::npos);

  nlohmann::json build = StepClaims();  // not a deployment step
  build["stepUuid"] = "{s-3}";
  build.erase("deploymentEnvironmentUuid");
  refused = trust.Verify(Sign(build), kNow);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("not a deployment step"), std::string::npos);

  nlohmann::json no_repository = StepClaims();
  no_repository["stepUuid"] = "{s-4}";
  no_repository.erase("repositoryUuid");
  EXPECT_EQ(trust.Verify(Sign(no_repository), kNow).status().code(),
            common::StatusCode::kUnauthenticated);
}

TEST(CiTrustRules, BadRulesAreNamed) {
  CiTrustRule rule;
  rule.issuer = "https://gitlab.example.com";
  rule.audiences = {"https://leadline.example"};
  EXPECT_TRUE(CheckCiTrustRules({rule}).ok());
  EXPECT_NE(CheckCiTrustRules({rule, rule}).message().find("two rules"), std::string::npos);
  CiTrustRule plain = rule;
  plain.issuer = "http://gitlab.example.com";
  EXPECT_NE(CheckCiTrustRules({plain}).message().find("must be https"), std::string::npos);
  CiTrustRule no_audience = rule;
  no_audience.audiences.clear();
  EXPECT_NE(CheckCiTrustRules({no_audience}).message().find("audiences is required"),
            std::string::npos);
  CiTrustRule hmac = rule;
  hmac.algorithms = {"HS256"};
  EXPECT_NE(CheckCiTrustRules({hmac}).message().find("'HS256' is not accepted"), std::string::npos);
  CiTrustRule branches = rule;  // GitLab has protected refs instead
  branches.branches = {"main"};
  EXPECT_NE(CheckCiTrustRules({branches}).message().find("branches is for Bitbucket"),
            std::string::npos);
  CiTrustRule other = rule;
  other.provider = "jenkins";
  EXPECT_NE(CheckCiTrustRules({other}).message().find("'jenkins' is not known"), std::string::npos);
}

}  // namespace
}  // namespace leadline::auth
