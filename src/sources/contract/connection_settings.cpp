#include "sources/contract/connection_settings.h"

#include "common/base64.h"

namespace leadline::sources {

using model::AuthMethod;

http::Credentials ConnectionSettings::Credentials() const {
  switch (auth) {
    case AuthMethod::kApiToken:
    case AuthMethod::kAppPassword:
      return http::Credentials::Basic(username, secret);
    case AuthMethod::kAccessToken:
    case AuthMethod::kHttpAccessToken:
    case AuthMethod::kGitLabToken:  // GitLab takes every kind of access token as Bearer
    case AuthMethod::kIncidentIoKey:
      return http::Credentials::Bearer(secret);
    case AuthMethod::kPagerDutyToken:
      return http::Credentials::Token(secret);
    case AuthMethod::kOpsgenieKey:
      return http::Credentials::GenieKey(secret);
  }
  return {};
}

std::string ConnectionSettings::GitAuthorization() const {
  switch (auth) {
    case AuthMethod::kApiToken:
      return "Basic " + common::Base64("x-bitbucket-api-token-auth:" + secret);
    case AuthMethod::kAccessToken:
      return "Basic " + common::Base64("x-token-auth:" + secret);
    case AuthMethod::kAppPassword:
      return "Basic " + common::Base64(username + ":" + secret);
    case AuthMethod::kHttpAccessToken:
      return "Bearer " + secret;
    case AuthMethod::kGitLabToken:
      return "Basic " + common::Base64("oauth2:" + secret);
    case AuthMethod::kPagerDutyToken:  // an incident tool has no git
    case AuthMethod::kIncidentIoKey:
    case AuthMethod::kOpsgenieKey:
      return "";
  }
  return "";
}

}  // namespace leadline::sources
