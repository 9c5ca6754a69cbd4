// Verifies a JSON Web Token (RFC 7519) against one issuer's policy and key set, the way RFC 8725
// asks: the algorithm comes from the issuer's allow-list (never "none", never an HMAC, whatever
// the token's header says), the key from the issuer's own key set by `kid` (never from the
// token), and a key is used with one algorithm only. Then `iss` exactly, `aud` containing one of
// ours, `exp` (required), `nbf` and `iat` with at most 60 s of leeway, and the token's size.
// What it does not do: fetch key sets (KeySetCache does), or remember tokens (ReplayCache).
//
// Pure functions over their arguments; thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwk.h"
#include "common/status.h"
#include "common/time.h"

namespace leadline::auth {

struct IssuerPolicy {
  std::string issuer;                  // compared exactly with `iss`
  std::vector<std::string> audiences;  // `aud` must contain one of them
  std::set<JwtAlgorithm> algorithms;   // the only ones accepted from this issuer
  common::Seconds leeway = 60;         // for exp, nbf and iat; at most 60
  std::size_t max_token_bytes = 16 * 1024;
};

// The largest leeway a policy may allow.
inline constexpr common::Seconds kMostLeeway = 60;

// A verified token's claims. Every top-level claim is kept as its values in text: a string as
// itself, a number as its decimal text, a boolean as "true" or "false", an array of those as
// each; objects and nested arrays are left out.
struct VerifiedToken {
  std::string issuer, subject;
  std::vector<std::string> audiences;
  common::UnixSeconds expires_at = 0;
  std::optional<common::UnixSeconds> issued_at;
  std::string jwt_id;  // `jti`, empty when absent
  std::string key_id;  // the `kid` of the key that verified it
  std::map<std::string, std::vector<std::string>> claims;

  // The claim's only value, or nullopt when it is absent or has several.
  std::optional<std::string> Claim(const std::string& name) const;
};

// Why a token was refused is in the status' message (for the log; tell callers less). A `kid`
// the key set does not hold is NotFound: refetch the issuer's key set (rate-limited) and verify
// once more. Every other refusal is Unauthenticated.
common::Result<VerifiedToken> VerifyJwt(std::string_view token, const IssuerPolicy& policy,
                                        const KeySet& keys, common::UnixSeconds now);

}  // namespace leadline::auth
