// Which CI jobs may push without a stored secret: `[[ci_trust]]` rules, one per issuer, and the
// verification of the OIDC tokens their jobs present (reference: identity.md, "GitLab CI
// `id_tokens`"). A token is verified with its issuer's own key set (KeySetCache, from the rule's
// URL only), then held to the rule: GitLab CI tokens must come from a protected ref unless the
// rule says otherwise, from a job of the project the token names (a fork's merge-request pipeline
// names another: `job_project_path` != `project_path` is refused), and from one of the rule's
// environments or deployment tiers when it lists any. Each token is accepted once (ReplayCache).
// The identity names the project path, which the caller binds to a connected repository.
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
  std::string provider = "gitlab";     // the only one so far
  std::string issuer;                  // exact `iss`: the instance URL for GitLab
  std::vector<std::string> audiences;  // `aud` must hold one; at least one
  std::string key_set_url;             // default: the issuer's `/oauth/discovery/keys`
  std::vector<std::string> algorithms = {"RS256"};
  bool require_protected_ref = true;      // GitLab's `ref_protected` must be "true"
  std::vector<std::string> environments;  // allowed `environment` or `deployment_tier`; empty: any
  bool allow_incidents = false;           // may also push incidents
};

// Who a verified CI token speaks for.
struct CiIdentity {
  std::string provider;  // "gitlab"
  std::string issuer;    // the instance
  std::string project;   // GitLab's `project_path`: "group/subgroup/project"
  std::string subject;   // `sub`
  std::string pipeline;  // `pipeline_id`
  std::string job;       // `job_id`
  std::string ref;       // `ref`
  bool allow_incidents = false;
  std::string replay_key;  // ReplayKeyOf the token: CiTrust::Release lets it be used again

  // For the audit log: "ci gitlab <issuer> <project> pipeline <id> job <id> (<sub>)", bounded.
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
