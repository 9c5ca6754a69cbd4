// An OpenID Provider's metadata, read from `{issuer}/.well-known/openid-configuration` (OpenID
// Connect Discovery 1.0), and the key-set fetch the verifier's KeySetCache uses. The document's
// `issuer` must equal the configured issuer exactly (Discovery 4.3), and every endpoint must be
// https, or http on a loopback address (a provider on the same machine, and tests).
//
// Stateless; thread-safe when the client is (CurlHttpClient is). The client bounds the size and
// time of each answer.
#pragma once

#include <string>
#include <vector>

#include "auth/key_set_cache.h"
#include "common/status.h"
#include "http/http_client.h"

namespace leadline::auth {

struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string end_session_endpoint;             // may be empty
  std::vector<std::string> signing_algorithms;  // id_token_signing_alg_values_supported
};

common::Result<ProviderMetadata> DiscoverProvider(http::HttpClient& client,
                                                  const std::string& issuer);

// GETs key sets through `client`, which must outlive the function.
KeySetFetch KeySetFetchOver(http::HttpClient& client);

// https, or http to 127.0.0.0/8, [::1] or localhost.
bool IsSecureUrl(const std::string& url);

}  // namespace leadline::auth
