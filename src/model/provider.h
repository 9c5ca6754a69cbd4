// Where data comes from: the upstream a connection, a repository or a deployment record belongs
// to. Stored by name; a name this build does not know is an error, never read as another
// provider. Pure values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leadline::model {

enum class Provider {
  kGit,                  // a local repository, read from disk
  kBitbucketCloud,       // bitbucket.org, REST 2.0
  kBitbucketDataCenter,  // Bitbucket Data Center (Server), REST 1.0
  kGitLab,               // GitLab.com or self-managed GitLab, REST v4
  kPush,                 // pushed to Leadline's API by CI (deployments)
  kPagerDuty,            // PagerDuty REST API v2: an incident tool, no repositories
  kIncidentIo,           // incident.io API v2: an incident tool, no repositories
  kJsm,                  // Jira Service Management Cloud: incidents are Jira work items
  kOpsgenie,             // Opsgenie REST API (until 2027-04-05): an incident tool
};
inline constexpr Provider kProviders[] = {Provider::kGit,
                                          Provider::kBitbucketCloud,
                                          Provider::kBitbucketDataCenter,
                                          Provider::kGitLab,
                                          Provider::kPush,
                                          Provider::kPagerDuty,
                                          Provider::kIncidentIo,
                                          Provider::kJsm,
                                          Provider::kOpsgenie};

// "git", "bitbucket-cloud", "bitbucket-dc", "gitlab", "push", "pagerduty", "incidentio", "jsm",
// "opsgenie": the names the stores keep.
const char* ProviderName(Provider provider);
// The provider of a stored or typed name; nullopt for one this build does not know.
std::optional<Provider> ParseProvider(std::string_view name);

// People's names for them: "Bitbucket Cloud", "GitLab".
const char* ProviderTitle(Provider provider);

// Whether a connection can be of this provider (git and push have no connections).
bool IsConnectable(Provider provider);

// Whether the provider is an incident tool: its connections read incidents and services, never
// repositories.
bool IsIncidentTool(Provider provider);

// A record's key that is unique across providers: "<provider>:<external id>"
// ("gitlab:1234", "push:deploy-42").
std::string ProviderKey(Provider provider, std::string_view external_id);

}  // namespace leadline::model
