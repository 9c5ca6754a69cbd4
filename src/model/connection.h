// A connection to an upstream service (Bitbucket Cloud or Data Center, GitLab, PagerDuty): where it
// is, how it authenticates, and its secret sealed for storage (never the plain secret). Plain
// values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/time.h"
#include "model/provider.h"

namespace leadline::model {

enum class AuthMethod {
  kApiToken,         // Cloud: scoped API token, Basic with the Atlassian account e-mail
  kAccessToken,      // Cloud: repository/project/workspace access token, Bearer
  kAppPassword,      // Cloud: legacy app password, Basic with the Bitbucket username
  kHttpAccessToken,  // Data Center: HTTP access token (personal, project or repository), Bearer
  kGitLabToken,      // GitLab: personal, group or project access token (PRIVATE-TOKEN)
  kPagerDutyToken,   // PagerDuty: account or user REST API key (Token token=...)
  kIncidentIoKey,    // incident.io: API key (Bearer)
  kOpsgenieKey,      // Opsgenie: API key (GenieKey); Jira Service Management uses kApiToken
};

struct Connection {
  std::int64_t id = 0;
  std::string name;  // unique: "bitbucket-cloud/acme", "bitbucket-dc/git.example.com", "gitlab/..."
  Provider provider = Provider::kBitbucketCloud;
  // Cloud: the API base; Data Center: the server's base URL; GitLab: the instance's root URL
  std::string url;
  std::string workspace;  // Cloud only
  AuthMethod auth = AuthMethod::kApiToken;
  std::string username;
  std::string sealed_secret;  // auth::SecretBox::Seal output
  std::optional<common::UnixSeconds> checked_at;
  std::string check_outcome;  // "ok: ..." or the diagnosis of the last check

  bool operator==(const Connection&) const = default;
};

inline const char* AuthMethodName(AuthMethod auth) {
  switch (auth) {
    case AuthMethod::kApiToken:
      return "api-token";
    case AuthMethod::kAccessToken:
      return "access-token";
    case AuthMethod::kAppPassword:
      return "app-password";
    case AuthMethod::kHttpAccessToken:
      return "http-access-token";
    case AuthMethod::kGitLabToken:
      return "gitlab-token";
    case AuthMethod::kPagerDutyToken:
      return "pagerduty-token";
    case AuthMethod::kIncidentIoKey:
      return "incidentio-key";
    case AuthMethod::kOpsgenieKey:
      return "opsgenie-key";
  }
  return "unknown";
}

}  // namespace leadline::model
