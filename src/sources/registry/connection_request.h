// What a person gives to connect an upstream, whether through `leadline connect` (flags and
// secret files) or the admin API (a JSON body), and the one place that turns it into connection
// settings: which way of signing in it names, the provider's default URL, and the bounds every
// field keeps. Plain values; thread-safe.
#pragma once

#include <string>

#include "common/status.h"
#include "model/provider.h"
#include "sources/contract/connector.h"

namespace leadline::sources {

struct ConnectionRequest {
  model::Provider provider = model::Provider::kBitbucketCloud;
  std::string url;        // empty: the provider's own (Bitbucket Cloud, GitLab.com, PagerDuty US)
  std::string workspace;  // Bitbucket Cloud
  // One way to sign in. Bitbucket Cloud: `token` with `email` (an API token), `access_token`, or
  // `app_password` with `username` (legacy). Every other provider: `token`.
  std::string email;
  std::string token;
  std::string access_token;
  std::string username;
  std::string app_password;
};

// How the fields are called where the request came from, for error messages.
struct RequestFieldNames {
  const char* workspace;
  const char* email;
  const char* token;
  const char* access_token;
  const char* username;
  const char* app_password;
};
inline constexpr RequestFieldNames kFlagNames{"--workspace",  "--email",
                                              "--token-file", "--access-token-file",
                                              "--username",   "--app-password-file"};
inline constexpr RequestFieldNames kJsonNames{"'workspace'",    "'email'",    "'token'",
                                              "'access_token'", "'username'", "'app_password'"};

// The settings to check and store; InvalidArgument, naming the fields as `names` calls them,
// when the request names no way to sign in, several, or a field out of bounds.
common::Result<ConnectionSettings> SettingsFrom(const ConnectionRequest& request,
                                                const RequestFieldNames& names);

}  // namespace leadline::sources
