#include "model/provider.h"

namespace leadline::model {

const char* ProviderName(Provider provider) {
  switch (provider) {
    case Provider::kGit:
      return "git";
    case Provider::kBitbucketCloud:
      return "bitbucket-cloud";
    case Provider::kBitbucketDataCenter:
      return "bitbucket-dc";
    case Provider::kGitLab:
      return "gitlab";
    case Provider::kPush:
      return "push";
    case Provider::kPagerDuty:
      return "pagerduty";
    case Provider::kIncidentIo:
      return "incidentio";
    case Provider::kJsm:
      return "jsm";
    case Provider::kOpsgenie:
      return "opsgenie";
  }
  return "git";
}

std::optional<Provider> ParseProvider(std::string_view name) {
  for (const Provider provider : kProviders) {
    if (name == ProviderName(provider)) return provider;
  }
  return std::nullopt;
}

const char* ProviderTitle(Provider provider) {
  switch (provider) {
    case Provider::kGit:
      return "local git";
    case Provider::kBitbucketCloud:
      return "Bitbucket Cloud";
    case Provider::kBitbucketDataCenter:
      return "Bitbucket Data Center";
    case Provider::kGitLab:
      return "GitLab";
    case Provider::kPush:
      return "pushed by CI";
    case Provider::kPagerDuty:
      return "PagerDuty";
    case Provider::kIncidentIo:
      return "incident.io";
    case Provider::kJsm:
      return "Jira Service Management";
    case Provider::kOpsgenie:
      return "Opsgenie";
  }
  return "local git";
}

bool IsConnectable(Provider provider) {
  return provider == Provider::kBitbucketCloud || provider == Provider::kBitbucketDataCenter ||
         provider == Provider::kGitLab || IsIncidentTool(provider);
}

bool IsIncidentTool(Provider provider) {
  return provider == Provider::kPagerDuty || provider == Provider::kIncidentIo ||
         provider == Provider::kJsm || provider == Provider::kOpsgenie;
}

std::string ProviderKey(Provider provider, std::string_view external_id) {
  std::string key = ProviderName(provider);
  key += ':';
  key += external_id;
  return key;
}

}  // namespace leadline::model
