// Which CI jobs may push without a stored secret: `[[ci_trust]]` rules, one per issuer, and the
// verification of the OIDC tokens their jobs present (reference: identity.md, "Bitbucket
// Pipelines OIDC" and "GitLab CI `id_tokens`"). A token is verified with its issuer's own key
// set (KeySetCache, from the rule's URL only), then held to the rule:
//  - GitLab CI: from a protected ref unless the rule says otherwise, from a job of the project
//    the token names (a fork's merge-request pipeline names another: `job_project_path` !=
//    `project_path` is refused), and from one of the rule's environments or deployment tiers
//    when it lists any. The identity names the project path.
//  - Bitbucket Pipelines: from one of the rule's branches when it lists any; a deployment step
//    (`deploymentEnvironmentUuid`) when it lists environments, whose names the caller checks
//    against the repository's stored environments. The identity names the repository's uuid.
// Each token is accepted once (ReplayCache). The caller binds the identity to a connected
// repository.
//
// Refusals are Unauthenticated (not a valid token of a trusted issuer: 401) or PermissionDenied
// (a valid token the rule does not allow: 403), with a message that says what failed, never which
// key. Ownership: owns the rules, one key-set cache per rule and the replay cache. Thread-safety:
// safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/key_set_cache.h"
#include "auth/replay_cache.h"
#include "common/status.h"
#include "common/time.h"

namespace leadline::auth {

struct CiTrustRule {
  std::string provider = "gitlab";  // "gitlab" or "bitbucket"
  // Exact `iss`: GitLab's instance URL; Bitbucket's
  // https://api.bitbucket.org/2.0/workspaces/{workspace}/pipelines-config/identity/oidc.
  std::string issuer;
  std::vector<std::string> audiences;  // `aud` must hold one; at least one
  // Default: GitLab's `<issuer>/oauth/discovery/keys`, Bitbucket's `<issuer>/keys.json`.
  std::string key_set_url;
  std::vector<std::string> algorithms = {"RS256"};
  bool require_protected_ref = true;  // GitLab's `ref_protected` must be "true"
  // GitLab: the allowed `environment` or `deployment_tier`; Bitbucket: the names or types of the
  // deployment environments allowed. Empty: any.
  std::vector<std::string> environments;
  std::vector<std::string> branches;  // Bitbucket's `branchName` allowed; empty: any
  bool allow_incidents = false;       // may also push incidents
};

// Who a verified CI token speaks for.
struct CiIdentity {
  std::string provider;  // "gitlab" or "bitbucket"
  std::string issuer;    // the instance, or the workspace's issuer
  // GitLab's `project_path` ("group/subgroup/project"); Bitbucket's `repositoryUuid`, braced and
  // in lower case.
  std::string project;
  std::string subject;   // `sub`
  std::string pipeline;  // GitLab's `pipeline_id`, Bitbucket's `pipelineUuid`
  std::string job;       // GitLab's `job_id`, Bitbucket's `stepUuid`
  std::string ref;       // GitLab's `ref`, Bitbucket's `branchName`
  // GitLab: the job's `environment`; Bitbucket: empty (the caller finds the name of
  // `environment_uuid`). A job reports deployments to this environment only; empty: any.
  std::string environment;
  // Bitbucket: the step's `deploymentEnvironmentUuid`, and the environments the rule allows,
  // which the caller checks (empty: any).
  std::string environment_uuid;
  std::vector<std::string> environments_to_check;
  bool allow_incidents = false;
  std::string replay_key;  // ReplayKeyOf the token: CiTrust::Release lets it be used again

  // For the audit log: "ci <provider> <issuer> <project> pipeline <id> job <id> (<sub>)",
  // bounded.
  std::string AuditName() const;
};

// A bearer value that is a JWT rather than one of our API tokens: three base64url parts.
bool LooksLikeJwt(std::string_view bearer);

// Checks the rules as read from the settings: an issuer once, https (http only on loopback),
// at least one audience, known algorithms, a known provider.
common::Status CheckCiTrustRules(const std::vector<CiTrustRule>& rules);

class CiTrust {
 public:
  CiTrust(std::vector<CiTrustRule> rules, const KeySetFetch& fetch);
  bool empty() const { return rules_.empty(); }

  // `token` is the bearer value.
  common::Result<CiIdentity> Verify(std::string_view token, common::UnixSeconds now);
  // The call `identity` made failed on the server's side (a 5xx): its token may be retried.
  void Release(const CiIdentity& identity) { replays_.Forget(identity.replay_key); }

 private:
  struct Trusted {
    CiTrustRule rule;
    IssuerPolicy policy;
    std::unique_ptr<KeySetCache> keys;
  };
  std::vector<Trusted> rules_;
  ReplayCache replays_;
};

}  // namespace leadline::auth
