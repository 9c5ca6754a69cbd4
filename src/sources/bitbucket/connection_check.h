// Connecting to Bitbucket: the settings of a connection (edition, URL, workspace, how it
// authenticates) and the connection check that `leadline connect` and `leadline check` run. The
// check names the authenticated user and counts the repositories the credentials can see, or
// says what to fix: a wrong or expired token, an e-mail/nickname mix-up, a switched-off app
// password, a missing scope, a Data Center URL with a wrong context path, TLS or DNS trouble.
// Stateless functions over an HttpClient; thread-safe when the client is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/http_client.h"
#include "model/connection.h"

namespace leadline::sources::bitbucket {

using model::AuthMethod;
using model::Edition;

inline constexpr const char* kCloudApiUrl = "https://api.bitbucket.org/2.0";

struct ConnectionSettings {
  Edition edition = Edition::kBitbucketCloud;
  std::string url;        // Cloud: the API base (kCloudApiUrl); Data Center: the server's base URL
  std::string workspace;  // Cloud only
  AuthMethod auth = AuthMethod::kApiToken;
  std::string username;  // the e-mail (API token) or the username (app password)
  std::string secret;

  http::Credentials Credentials() const;
  // The Authorization header for git over HTTPS, which names users differently from the REST
  // API: Cloud API tokens go with `x-bitbucket-api-token-auth`, access tokens with
  // `x-token-auth`; Data Center tokens are Bearer tokens.
  std::string GitAuthorization() const;
};

struct CheckResult {
  std::string user;  // who the credentials are, as the server names them
  std::int64_t repositories = 0;
  std::string server_version;  // Data Center only
};

common::Result<CheckResult> CheckConnection(http::HttpClient& client,
                                            const ConnectionSettings& settings);

// Base URLs to try when a Data Center URL does not answer: without trailing slashes, then with
// path segments removed from the end (a URL copied from the browser often carries a page path),
// then the host with the usual context paths (/bitbucket, /stash, /git).
std::vector<std::string> DataCenterBaseCandidates(const std::string& url);

}  // namespace leadline::sources::bitbucket
