// People's sign-in with an OpenID Provider (OpenID Connect Core 1.0, the authorization code flow
// with PKCE, RFC 7636 and RFC 9700): `[oidc]` in leadline.toml says which provider and client,
// and this class does the provider's side of it. Start() makes a sign-in attempt (a random
// `state`, `nonce` and PKCE verifier, kept by the caller in the store) and the URL of the
// provider's authorization endpoint; Finish() exchanges the callback's code at the token
// endpoint (authenticated with the client secret and the verifier) and verifies the ID token
// with the provider's key set: the JWT rules of jwt_verifier.h with our client id as audience,
// then the attempt's nonce, and `azp` where there are several audiences. It does not keep
// sessions (the caller stores them) nor decide access (roles.h).
//
// The provider's metadata is discovered at the first sign-in and kept; a failed discovery is
// retried at most every 10 seconds. Ownership: owns the settings, the client secret and the key
// set cache; borrows the HTTP client, which must outlive it. Thread-safety: safe from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/key_set_cache.h"
#include "auth/oidc_discovery.h"
#include "auth/roles.h"
#include "common/status.h"
#include "common/time.h"
#include "http/http_client.h"
#include "model/access.h"

namespace leadline::auth {

struct OidcSettings {
  std::string issuer;  // exact, as the provider names itself
  std::string client_id;
  std::string client_secret_file;  // read at start; never logged
  std::vector<std::string> scopes = {"openid", "profile", "email"};
  std::string redirect_url;            // "https://leadline.example.com/auth/oidc/callback"
  std::string roles_claim = "groups";  // the ID token claim whose values the roles match
  std::string display_name;            // "Sign in with <display_name>"; default: the issuer's host
  std::string contact;                 // whom a person without a role should ask, shown to them
  std::vector<std::string> algorithms = {"RS256"};
  common::Seconds session_lifetime = 8 * 60 * 60;  // absolute: sign in again after it
  common::Seconds session_idle = 60 * 60;          // unused this long: sign in again
  std::vector<RoleRule> roles;
  // Not strict: a person whom no role matches may still sign in, as a viewer of these projects
  // ("*": every one). Empty (the default): refused.
  std::vector<std::string> default_projects;

  bool configured() const { return !issuer.empty(); }
  // Over https the session cookie is Secure (and `__Host-` prefixed).
  bool secure() const { return redirect_url.starts_with("https://"); }
  // "https://leadline.example.com": what a browser sends as `Origin` from the dashboard.
  std::string origin() const;
  std::string DisplayName() const;
};

// Checks a configured [oidc] table: https URLs (http only on loopback), a client id and secret
// file, "openid" among the scopes, known algorithms, 5 minutes <= idle <= lifetime <= 7 days, and
// at least one role (or default projects).
common::Status CheckOidcSettings(const OidcSettings& settings);

// What a person with these claim values may see: their roles (roles.h), else the default
// projects as a viewer when there are any; nullopt: refused.
std::optional<PersonAccess> AccessOf(const OidcSettings& settings,
                                     const std::vector<std::string>& claim_values);

struct StartedSignIn {
  std::string authorization_url;  // where to send the browser
  std::string state;              // sent to the provider; only its hash is stored
  model::SignInAttempt attempt;   // to store until the callback
};

// The person a verified ID token names.
struct SignedInPerson {
  std::string issuer;
  std::string subject;
  std::string name;                       // `email`, else `preferred_username`, `name`, `sub`
  std::vector<std::string> claim_values;  // the role claim's values
};

class OidcSignIn {
 public:
  OidcSignIn(OidcSettings settings, std::string client_secret, http::HttpClient& client);

  const OidcSettings& settings() const { return settings_; }

  // `return_to` must be a local path (the caller checks it).
  common::Result<StartedSignIn> Start(const std::string& return_to, common::UnixSeconds now);
  // Unauthenticated when the provider refuses the code or the ID token fails a check; the
  // message says which check, never a secret.
  common::Result<SignedInPerson> Finish(const std::string& code,
                                        const model::SignInAttempt& attempt,
                                        common::UnixSeconds now);

 private:
  common::Result<ProviderMetadata> Metadata(common::UnixSeconds now);

  const OidcSettings settings_;
  const std::string client_secret_;
  http::HttpClient& client_;
  std::mutex mutex_;  // guards the three below
  std::optional<ProviderMetadata> metadata_;
  std::unique_ptr<KeySetCache> keys_;
  common::UnixSeconds failed_at_ = -1'000'000;
  common::Status failure_;
};

// The PKCE challenge of a verifier: base64url(SHA-256(verifier)) (RFC 7636 4.2, S256).
std::string PkceChallenge(const std::string& verifier);

}  // namespace leadline::auth
