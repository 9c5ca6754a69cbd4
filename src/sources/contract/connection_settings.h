// What a connector is given to reach its upstream: the provider, where it is, how it
// authenticates and the opened secret (never stored or logged). Plain values; thread-safe.
#pragma once

#include <string>

#include "http/http_client.h"
#include "model/connection.h"
#include "model/provider.h"

namespace leadline::sources {

struct ConnectionSettings {
  model::Provider provider = model::Provider::kBitbucketCloud;
  // Bitbucket Cloud: the API base; Data Center: the server's base URL; GitLab: the instance root
  std::string url;
  std::string workspace;  // Bitbucket Cloud only
  model::AuthMethod auth = model::AuthMethod::kApiToken;
  std::string username;  // the e-mail (API token) or the username (app password)
  std::string secret;

  // How API requests authenticate.
  http::Credentials Credentials() const;
  // The Authorization header for git over HTTPS, which names users differently from the REST
  // APIs: Bitbucket Cloud API tokens go with `x-bitbucket-api-token-auth`, access tokens with
  // `x-token-auth`; Data Center tokens are Bearer tokens; GitLab takes any user name with the
  // token as password (`oauth2`).
  std::string GitAuthorization() const;
};

}  // namespace leadline::sources
