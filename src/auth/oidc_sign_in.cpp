#include "auth/oidc_sign_in.h"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/api_tokens.h"
#include "auth/jwt_verifier.h"
#include "common/base64.h"
#include "http/pager.h"

namespace leadline::auth {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

constexpr common::Seconds kRediscoverAfterFailure = 10;
// ID tokens carry the person's groups: 200 GUIDs and more fit in this.
constexpr std::size_t kMostIdTokenBytes = 64 * 1024;

std::string Joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// The scheme, host and port of an http(s) URL.
std::string OriginOf(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  const std::size_t path = url.find_first_of("/?#", scheme + 3);
  return url.substr(0, path);
}

}  // namespace

std::string OidcSettings::origin() const { return OriginOf(redirect_url); }

std::string OidcSettings::DisplayName() const {
  if (!display_name.empty()) return display_name;
  const std::string origin = OriginOf(issuer);
  const std::size_t scheme = origin.find("://");
  return scheme == std::string::npos ? issuer : origin.substr(scheme + 3);
}

Status CheckOidcSettings(const OidcSettings& settings) {
  const auto bad = [](const std::string& why) { return Status::InvalidArgument("[oidc]: " + why); };
  if (!IsSecureUrl(settings.issuer)) {
    return bad("issuer must be an https URL (http only on loopback)");
  }
  if (settings.client_id.empty()) return bad("client_id is missing");
  if (settings.client_secret_file.empty()) {
    return bad("client_secret_file is missing (a file holding the client secret)");
  }
  if (!IsSecureUrl(settings.redirect_url) ||
      settings.redirect_url.find("/auth/oidc/callback") == std::string::npos) {
    return bad(
        "redirect_url must be this server's https URL ending in /auth/oidc/callback, as "
        "registered with the provider");
  }
  if (std::find(settings.scopes.begin(), settings.scopes.end(), "openid") ==
      settings.scopes.end()) {
    return bad("scopes must include \"openid\"");
  }
  for (const std::string& scope : settings.scopes) {
    if (scope.empty() || scope.find_first_of(" \t\r\n\"\\") != std::string::npos) {
      return bad("the scope '" + scope + "' is not a single word");
    }
  }
  if (settings.roles_claim.empty()) return bad("roles_claim is empty");
  if (settings.algorithms.empty()) return bad("algorithms is empty");
  for (const std::string& name : settings.algorithms) {
    if (!JwtAlgorithmNamed(name)) {
      return bad("unknown algorithm '" + name + "' (known: RS256, PS256, ES256, EdDSA)");
    }
  }
  if (settings.session_idle < 5 * 60 || settings.session_idle > settings.session_lifetime ||
      settings.session_lifetime > 7 * common::kDay) {
    return bad("sessions need 5m <= session_idle <= session_lifetime <= 7d");
  }
  if (settings.roles.empty() && settings.default_projects.empty()) {
    return bad("no [[roles]]: sign-in is strict, so nobody could sign in; map a value of the '" +
               settings.roles_claim + "' claim to projects (or set default_projects)");
  }
  if (!settings.default_projects.empty()) {
    LEADLINE_RETURN_IF_ERROR(
        CheckRoleRules({{"default_projects", settings.default_projects, AccessLevel::kViewer}})
            .WithContext("[oidc] default_projects"));
  }
  return CheckRoleRules(settings.roles);
}

std::optional<PersonAccess> AccessOf(const OidcSettings& settings,
                                     const std::vector<std::string>& claim_values) {
  std::optional<PersonAccess> access = ResolveRoles(claim_values, settings.roles);
  if (access || settings.default_projects.empty()) return access;
  PersonAccess fallback;
  if (settings.default_projects != std::vector<std::string>{"*"}) {
    fallback.projects = settings.default_projects;
  }
  return fallback;
}

std::string PkceChallenge(const std::string& verifier) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(verifier.data()),
                     verifier.size());
  return common::Base64Url(std::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

OidcSignIn::OidcSignIn(OidcSettings settings, std::string client_secret, http::HttpClient& client)
    : settings_(std::move(settings)), client_secret_(std::move(client_secret)), client_(client) {}

Result<ProviderMetadata> OidcSignIn::Metadata(common::UnixSeconds now) {
  std::lock_guard lock(mutex_);
  if (metadata_) return *metadata_;
  if (now - failed_at_ < kRediscoverAfterFailure) return failure_;
  Result<ProviderMetadata> found = DiscoverProvider(client_, settings_.issuer);
  if (!found.ok()) {
    failed_at_ = now;
    failure_ =
        Status::Unavailable("the sign-in provider cannot be reached: " + found.status().message());
    return failure_;
  }
  metadata_ = *found;
  keys_ = std::make_unique<KeySetCache>(found->jwks_uri, KeySetFetchOver(client_));
  return *metadata_;
}

Result<StartedSignIn> OidcSignIn::Start(const std::string& return_to, common::UnixSeconds now) {
  LEADLINE_ASSIGN_OR_RETURN(const ProviderMetadata metadata, Metadata(now));
  StartedSignIn started;
  started.state = RandomUrlSafe(32);
  started.attempt.state_hash = HashSecret(started.state);
  started.attempt.nonce = RandomUrlSafe(32);
  started.attempt.code_verifier = RandomUrlSafe(48);  // 64 characters (RFC 7636: 43 to 128)
  started.attempt.return_to = return_to;
  started.attempt.created_at = now;
  const auto query = [](const char* name, const std::string& value) {
    return std::string(name) + "=" + http::EncodeQueryValue(value);
  };
  std::string url = metadata.authorization_endpoint;
  url += url.find('?') == std::string::npos ? "?" : "&";
  url += query("response_type", "code") + "&" + query("client_id", settings_.client_id) + "&" +
         query("redirect_uri", settings_.redirect_url) + "&" +
         query("scope", Joined(settings_.scopes, " ")) + "&" + query("state", started.state) + "&" +
         query("nonce", started.attempt.nonce) + "&" +
         query("code_challenge", PkceChallenge(started.attempt.code_verifier)) + "&" +
         query("code_challenge_method", "S256");
  started.authorization_url = std::move(url);
  return started;
}

Result<SignedInPerson> OidcSignIn::Finish(const std::string& code,
                                          const model::SignInAttempt& attempt,
                                          common::UnixSeconds now) {
  LEADLINE_ASSIGN_OR_RETURN(const ProviderMetadata metadata, Metadata(now));
  http::HttpRequest request;
  request.method = "POST";
  request.url = metadata.token_endpoint;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = "grant_type=authorization_code&code=" + http::EncodeQueryValue(code) +
                 "&redirect_uri=" + http::EncodeQueryValue(settings_.redirect_url) +
                 "&code_verifier=" + http::EncodeQueryValue(attempt.code_verifier);
  // client_secret_basic: both parts form-encoded first (RFC 6749 2.3.1).
  request.credentials = http::Credentials::Basic(http::EncodeQueryValue(settings_.client_id),
                                                 http::EncodeQueryValue(client_secret_));
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client_.Send(request));
  const json answer = json::parse(response.body, nullptr, false);
  const auto text = [&](const char* name) {
    if (!answer.is_object()) return std::string();
    const auto it = answer.find(name);
    return it != answer.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (response.status >= 500) {
    return Status::Unavailable("the sign-in provider's token endpoint answered HTTP " +
                               std::to_string(response.status));
  }
  if (response.status != 200) {
    const std::string error = text("error");
    return Status::Unauthenticated(
        "the sign-in provider refused the sign-in code (" +
        (error.empty() ? "HTTP " + std::to_string(response.status) : error) +
        "); it may have been used already or have expired: sign in again");
  }
  const std::string id_token = text("id_token");
  if (id_token.empty()) {
    return Status::Unauthenticated("the sign-in provider's answer holds no ID token");
  }
  IssuerPolicy policy;
  policy.issuer = settings_.issuer;
  policy.audiences = {settings_.client_id};
  for (const std::string& name : settings_.algorithms)
    policy.algorithms.insert(*JwtAlgorithmNamed(name));
  policy.max_token_bytes = kMostIdTokenBytes;
  KeySetCache* keys = nullptr;
  {
    std::lock_guard lock(mutex_);
    keys = keys_.get();
  }
  LEADLINE_ASSIGN_OR_RETURN(const VerifiedToken token,
                            VerifyWithKeySet(id_token, policy, *keys, now));
  const std::optional<std::string> nonce = token.Claim("nonce");
  if (!nonce || *nonce != attempt.nonce) {
    return Status::Unauthenticated("the ID token does not carry this sign-in's nonce");
  }
  if (token.audiences.size() > 1 && token.Claim("azp") != settings_.client_id) {
    return Status::Unauthenticated(
        "the ID token names several audiences and was not issued to this client (azp)");
  }
  if (token.subject.empty()) return Status::Unauthenticated("the ID token names no subject");
  SignedInPerson person;
  person.issuer = token.issuer;
  person.subject = token.subject;
  for (const char* claim : {"email", "preferred_username", "name"}) {
    if (const std::optional<std::string> value = token.Claim(claim); value && !value->empty()) {
      person.name = *value;
      break;
    }
  }
  if (person.name.empty()) person.name = token.subject;
  if (const auto values = token.claims.find(settings_.roles_claim); values != token.claims.end()) {
    person.claim_values = values->second;
  }
  return person;
}

}  // namespace leadline::auth
