#include "auth/ci_trust.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "auth/oidc_discovery.h"
#include "common/base64.h"
#include "common/text.h"

namespace leadline::auth {
namespace {

using common::Status;

constexpr std::size_t kMostAuditName = 400;

// The token's `iss`, unverified: it only chooses which rule (and key set) verifies the token,
// which then compares `iss` exactly.
std::string UnverifiedIssuer(std::string_view token) {
  const std::size_t first = token.find('.');
  const std::size_t second = token.find('.', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return "";
  const std::optional<std::string> payload =
      common::DecodeBase64Url(token.substr(first + 1, second - first - 1));
  if (!payload) return "";
  const nlohmann::json claims = nlohmann::json::parse(*payload, nullptr, false);
  if (!claims.is_object()) return "";
  const auto iss = claims.find("iss");
  return iss != claims.end() && iss->is_string() ? iss->get<std::string>() : "";
}

bool Contains(const std::vector<std::string>& values, const std::optional<std::string>& value) {
  return value && std::find(values.begin(), values.end(), *value) != values.end();
}

std::string KeySetUrl(const CiTrustRule& rule) {
  if (!rule.key_set_url.empty()) return rule.key_set_url;
  return common::WithoutTrailingSlashes(rule.issuer) +
         (rule.provider == "bitbucket" ? "/keys.json" : "/oauth/discovery/keys");
}

// "{UUID}" or "uuid" as "{uuid}".
std::string BracedLower(std::string_view uuid) {
  if (uuid.starts_with('{') && uuid.ends_with('}')) uuid = uuid.substr(1, uuid.size() - 2);
  return "{" + common::AsciiLower(uuid) + "}";
}

// What both CIs' identities hold: the claim naming the repository (required), the pipeline, the
// job and the ref.
common::Result<CiIdentity> IdentityOf(const CiTrustRule& rule, const VerifiedToken& token,
                                      const char* repository, const char* pipeline, const char* job,
                                      const char* ref) {
  CiIdentity out;
  out.provider = rule.provider;
  out.issuer = token.issuer;
  out.subject = token.subject;
  out.allow_incidents = rule.allow_incidents;
  out.project = token.Claim(repository).value_or("");
  if (out.project.empty()) {
    return Status::Unauthenticated(std::string("the CI token has no ") + repository + " claim");
  }
  out.pipeline = token.Claim(pipeline).value_or("");
  out.job = token.Claim(job).value_or("");
  out.ref = token.Claim(ref).value_or("");
  return out;
}

// Bitbucket Pipelines' claims against the rule.
common::Result<CiIdentity> BitbucketIdentity(const CiTrustRule& rule, const VerifiedToken& token) {
  LEADLINE_ASSIGN_OR_RETURN(CiIdentity out, IdentityOf(rule, token, "repositoryUuid",
                                                       "pipelineUuid", "stepUuid", "branchName"));
  out.project = BracedLower(out.project);
  if (!rule.branches.empty() && !Contains(rule.branches, token.Claim("branchName"))) {
    return Status::PermissionDenied("the CI step's branch '" + out.ref +
                                    "' is not one the trust rule for " + rule.issuer + " allows");
  }
  const std::optional<std::string> environment = token.Claim("deploymentEnvironmentUuid");
  if (environment && !environment->empty()) out.environment_uuid = BracedLower(*environment);
  if (!rule.environments.empty()) {
    if (out.environment_uuid.empty()) {
      return Status::PermissionDenied(
          "the CI step is not a deployment step, and the trust rule for " + rule.issuer +
          " allows only deployments to its environments");
    }
    out.environments_to_check = rule.environments;
  }
  return out;
}

// GitLab CI's claims against the rule.
common::Result<CiIdentity> GitLabIdentity(const CiTrustRule& rule, const VerifiedToken& token) {
  LEADLINE_ASSIGN_OR_RETURN(
      CiIdentity out, IdentityOf(rule, token, "project_path", "pipeline_id", "job_id", "ref"));
  // A merge-request pipeline from a fork runs in the parent project but names the fork (or, on
  // older GitLab, the reverse): the job's own project must be the project the token names.
  if (const std::optional<std::string> job_project = token.Claim("job_project_path");
      job_project && *job_project != out.project) {
    return Status::PermissionDenied("the CI job ran in '" + *job_project + "', not in '" +
                                    out.project + "' (a merge request from a fork)");
  }
  out.environment = token.Claim("environment").value_or("");
  if (rule.require_protected_ref && token.Claim("ref_protected") != "true") {
    return Status::PermissionDenied("the CI job's ref '" + out.ref +
                                    "' is not protected, and the trust rule for " + rule.issuer +
                                    " requires a protected ref");
  }
  if (!rule.environments.empty() && !Contains(rule.environments, token.Claim("environment")) &&
      !Contains(rule.environments, token.Claim("deployment_tier"))) {
    std::string allowed;
    for (const std::string& name : rule.environments) {
      allowed += (allowed.empty() ? "" : ", ") + name;
    }
    return Status::PermissionDenied(
        "the CI job's environment '" + token.Claim("environment").value_or("") +
        "' is not one the trust rule for " + rule.issuer + " allows (" + allowed + ")");
  }
  return out;
}

}  // namespace

std::string CiIdentity::AuditName() const {
  std::string name = "ci " + provider + " " + issuer + " " + project + " pipeline " + pipeline +
                     " job " + job + " (" + subject + ")";
  if (name.size() > kMostAuditName) name.resize(kMostAuditName);
  return name;
}

bool LooksLikeJwt(std::string_view bearer) {
  if (std::count(bearer.begin(), bearer.end(), '.') != 2) return false;
  return std::all_of(bearer.begin(), bearer.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

Status CheckCiTrustRules(const std::vector<CiTrustRule>& rules) {
  std::set<std::string> issuers;
  for (const CiTrustRule& rule : rules) {
    const std::string where = "[[ci_trust]] of '" + rule.issuer + "'";
    if (rule.provider != "gitlab" && rule.provider != "bitbucket") {
      return Status::InvalidArgument(where + ": provider '" + rule.provider +
                                     "' is not known (known: gitlab, bitbucket)");
    }
    if (rule.provider != "bitbucket" && !rule.branches.empty()) {
      return Status::InvalidArgument(where +
                                     ": branches is for Bitbucket Pipelines (GitLab: "
                                     "require_protected_ref)");
    }
    if (rule.issuer.empty()) return Status::InvalidArgument("[[ci_trust]]: issuer is required");
    if (!issuers.insert(rule.issuer).second) {
      return Status::InvalidArgument(where + ": the issuer has two rules");
    }
    if (!IsSecureUrl(rule.issuer) || !IsSecureUrl(KeySetUrl(rule))) {
      return Status::InvalidArgument(where +
                                     ": the issuer and key_set_url must be https (http only on "
                                     "the loopback address)");
    }
    if (rule.audiences.empty()) {
      return Status::InvalidArgument(where +
                                     ": audiences is required (the aud your CI's id_tokens ask "
                                     "for, such as Leadline's URL)");
    }
    if (rule.algorithms.empty()) return Status::InvalidArgument(where + ": no algorithms");
    for (const std::string& name : rule.algorithms) {
      if (!JwtAlgorithmNamed(name)) {
        return Status::InvalidArgument(where + ": algorithm '" + name +
                                       "' is not accepted (RS256, PS256, ES256, EdDSA)");
      }
    }
  }
  return Status::Ok();
}

CiTrust::CiTrust(std::vector<CiTrustRule> rules, const KeySetFetch& fetch) {
  for (CiTrustRule& rule : rules) {
    Trusted trusted;
    trusted.policy.issuer = rule.issuer;
    trusted.policy.audiences = rule.audiences;
    for (const std::string& name : rule.algorithms) {
      if (const auto algorithm = JwtAlgorithmNamed(name))
        trusted.policy.algorithms.insert(*algorithm);
    }
    trusted.keys = std::make_unique<KeySetCache>(KeySetUrl(rule), fetch);
    trusted.rule = std::move(rule);
    rules_.push_back(std::move(trusted));
  }
}

common::Result<CiIdentity> CiTrust::Verify(std::string_view token, common::UnixSeconds now) {
  // The verifier's own cap, before the unverified payload is even decoded to pick the rule.
  if (token.size() > IssuerPolicy().max_token_bytes) {
    return Status::Unauthenticated("the CI token is larger than " +
                                   std::to_string(IssuerPolicy().max_token_bytes) + " bytes");
  }
  const std::string issuer = UnverifiedIssuer(token);
  const auto trusted = std::find_if(rules_.begin(), rules_.end(),
                                    [&](const Trusted& t) { return t.rule.issuer == issuer; });
  if (trusted == rules_.end()) {
    return Status::Unauthenticated(
        "the token is neither an API token nor an OIDC token of an "
        "issuer a [[ci_trust]] rule names");
  }
  common::Result<VerifiedToken> verified =
      VerifyWithKeySet(token, trusted->policy, *trusted->keys, now);
  if (!verified.ok()) {
    return Status::Unauthenticated("the CI token of " + issuer +
                                   " is not valid: " + verified.status().message());
  }
  LEADLINE_ASSIGN_OR_RETURN(CiIdentity identity, trusted->rule.provider == "bitbucket"
                                                     ? BitbucketIdentity(trusted->rule, *verified)
                                                     : GitLabIdentity(trusted->rule, *verified));
  identity.replay_key = ReplayKeyOf(*verified);
  switch (replays_.Remember(identity.replay_key, verified->expires_at, now)) {
    case ReplayCache::Outcome::kFirstUse:
      return identity;
    case ReplayCache::Outcome::kReplayed:
      return Status::Unauthenticated(
          "the CI token was used before: each job's token is "
          "accepted once");
    case ReplayCache::Outcome::kFull:
      return Status::Unavailable("too many CI tokens in use at once; try again shortly");
  }
  return Status::Internal("unreachable");
}

}  // namespace leadline::auth
